using System.CommandLine;
using KeyInfra.Certificates;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary><c>crl publish|show</c>: an authority's certificate revocation list (docs/certificates.md, "Revocation and CRLs").</summary>
internal static class CrlCommand
{
    public static Command Create(CliSession session)
        => new("crl", "Certificate revocation lists: every revoked certificate of an authority, signed by its key.")
        {
            Publish(session),
            Show(session),
        };

    private static Command Publish(CliSession session)
    {
        var name = new Argument<string>("ca") { Description = "The authority's name." };
        var command = new Command("publish", "Publish the authority's next CRL now (KeyInfra also publishes one on each revocation and before the last one goes stale).") { name };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var authority = await CaCommand.FindAsync(services, parse.GetRequiredValue(name), ct);
            Print(context, await CommandContext.Get<ICertificateAuthorities>(services).PublishCrlAsync(authority.Id, ct));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliSession session)
    {
        var name = new Argument<string>("ca") { Description = "The authority's name." };
        var pem = new Option<bool>("--pem") { Description = "Print the CRL as PEM (X509 CRL), for openssl or a web server." };
        var output = new Option<string?>("--out") { Description = "Write the CRL to this file, DER (what a CRL distribution point serves)." };
        var command = new Command("show", "Show the authority's latest CRL, print it as PEM, or write it as DER.") { name, pem, output };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var authority = await CaCommand.FindAsync(services, parse.GetRequiredValue(name), ct);
            var crl = await CommandContext.Get<ICertificateAuthorities>(services).GetCrlAsync(authority.Id, ct)
                ?? throw new Input.UsageException($"Certificate authority '{authority.Name}' has published no CRL yet; run 'crl publish {authority.Name}'.");
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllBytesAsync(Path.GetFullPath(file, context.WorkingDirectory), crl.Der.ToArray(), ct);
            }

            if (parse.GetValue(pem))
            {
                context.Output.Write(CertificatePem.Crl(crl.Der.Span));
                return ExitCodes.Success;
            }

            Print(context, crl);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CommandContext context, CertificateRevocationListInfo crl)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Output, new { authorityId = crl.AuthorityId, number = crl.Number, thisUpdate = crl.ThisUpdate, nextUpdate = crl.NextUpdate, bytes = crl.Der.Length });
            return;
        }

        var table = new TableWriter("number", "this update", "next update", "bytes");
        table.AddRow(crl.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), crl.ThisUpdate.ToString("O"), crl.NextUpdate.ToString("O"), crl.Der.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.Write(context.Output);
    }
}
