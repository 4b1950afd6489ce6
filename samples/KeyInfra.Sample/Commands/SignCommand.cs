using System.CommandLine;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;
using KeyInfra.Signing;

namespace KeyInfra.Sample.Commands;

/// <summary><c>sign</c>: signs a file or a text with a key whose private key KeyInfra holds.</summary>
internal static class SignCommand
{
    public static Command Create(CliSession session)
    {
        var key = new Option<string>("--key") { Description = "The signing key's id.", HelpName = "id", Required = true };
        var inFile = new Option<string?>("--in") { Description = "Sign this file.", HelpName = "file" };
        var text = new Option<string?>("--text") { Description = "Sign this text (UTF-8)." };
        var outFile = new Option<string?>("--out") { Description = "Write the raw signature bytes to this file instead of printing Base64.", HelpName = "file" };
        var signatureOptions = new SignatureOptionSet();
        var command = new Command("sign", "Sign a document; prints the signature as Base64.") { key, inFile, text, outFile };
        signatureOptions.AddTo(command);
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var keyId = InputParser.ParseKeyId(parse.GetRequiredValue(key), "--key");
            var options = signatureOptions.Parse(parse);
            var document = InputParser.ReadDocument(parse.GetValue(inFile), parse.GetValue(text), context.WorkingDirectory);
            var outPath = parse.GetValue(outFile);

            var services = await context.StartAsync(ct);
            var result = await CommandContext.Get<ISigner>(services).SignAsync(new SignRequest(keyId, document) { Options = options }, ct);
            var signature = Convert.ToBase64String(result.Signature);
            if (outPath is not null)
            {
                await File.WriteAllBytesAsync(Path.GetFullPath(outPath, context.WorkingDirectory), result.Signature, ct);
            }

            if (context.Json)
            {
                JsonOutput.Write(context.Output, new
                {
                    keyId = result.KeyId,
                    type = result.Spec.Name,
                    signature,
                    file = outPath,
                    encoding = result.Encoding,
                    hashAlgorithm = result.HashAlgorithm,
                    rsaPadding = result.RsaPadding,
                });
            }
            else if (outPath is not null)
            {
                context.Output.WriteLine($"Wrote a {result.Signature.Length}-byte {result.Spec.Name} signature to {outPath}.");
            }
            else
            {
                context.Output.WriteLine(signature);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
