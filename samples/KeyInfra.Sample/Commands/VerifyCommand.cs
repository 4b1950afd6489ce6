using System.CommandLine;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;
using KeyInfra.Verification;

namespace KeyInfra.Sample.Commands;

/// <summary><c>verify</c>: checks one signature and prints the outcome; exit code 0 only when it is valid.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliSession session)
    {
        var key = new Option<string>("--key") { Description = "The key id.", HelpName = "id", Required = true };
        var inFile = new Option<string?>("--in") { Description = "The signed file.", HelpName = "file" };
        var text = new Option<string?>("--text") { Description = "The signed text (UTF-8)." };
        var signatureText = new Option<string?>("--signature") { Description = "The signature as Base64, as 'sign' prints it.", HelpName = "base64" };
        var signatureFile = new Option<string?>("--signature-file") { Description = "A file holding the raw signature bytes, as 'sign --out' writes them.", HelpName = "file" };
        var signatureOptions = new SignatureOptionSet();
        var command = new Command("verify", "Verify a signature; the outcome is recorded in the verification log. Exit code 0 if valid, 1 if not.")
        {
            key, inFile, text, signatureText, signatureFile,
        };
        signatureOptions.AddTo(command);
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var keyId = InputParser.ParseKeyId(parse.GetRequiredValue(key), "--key");
            var options = signatureOptions.Parse(parse);
            var document = InputParser.ReadDocument(parse.GetValue(inFile), parse.GetValue(text), context.WorkingDirectory);
            var signature = ReadSignature(parse.GetValue(signatureText), parse.GetValue(signatureFile), context.WorkingDirectory);

            var services = await context.StartAsync(ct);
            var request = new VerificationRequest(keyId, document, signature) { Options = options, Caller = "keyinfra-sample" };
            var result = await CommandContext.Get<IVerifier>(services).VerifyAsync(request, ct);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new { keyId = result.KeyId, status = result.Status, valid = result.IsValid, recordId = result.RecordId, detail = result.Detail });
            }
            else
            {
                context.Output.WriteLine(result.Status.ToString());
                if (result.Detail is { } detail)
                {
                    // Why, when KeyInfra can tell (a DER signature for a P1363 key, PKCS#1 for PSS): on stderr, so stdout stays the status.
                    context.Error.WriteLine(detail);
                }
            }

            return result.IsValid ? ExitCodes.Success : ExitCodes.NotValid;
        });
        return command;
    }

    private static byte[] ReadSignature(string? base64, string? file, string workingDirectory)
    {
        if (base64 is not null && file is not null)
        {
            throw new UsageException("Give the signature either with --signature <base64> or with --signature-file <file>, not both.");
        }

        if (base64 is not null)
        {
            return InputParser.ParseBase64(base64, "--signature", InputParser.MaxSignatureBytes);
        }

        if (file is not null)
        {
            return InputParser.ReadFile(file, workingDirectory, "--signature-file", InputParser.MaxSignatureBytes);
        }

        throw new UsageException("No signature: give it with --signature <base64> or --signature-file <file>.");
    }
}
