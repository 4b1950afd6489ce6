using System.CommandLine;
using KeyInfra.Certificates;
using KeyInfra.Pkcs11;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary><c>ca create|list|show</c>: the tenant's certificate authorities (docs/certificates.md).</summary>
internal static class CaCommand
{
    public static Command Create(CliSession session)
        => new("ca", "Certificate authorities: a root, intermediates below it, each with its own dedicated key (software or HSM) and CRL.")
        {
            CreateCommand(session),
            List(session),
            Show(session),
        };

    /// <summary>Finds an authority by name, or fails with a usage error that says how to list them.</summary>
    public static async Task<CertificateAuthorityInfo> FindAsync(IServiceProvider services, string name, CancellationToken cancellationToken)
        => await CommandContext.Get<ICertificateAuthorities>(services).FindAsync(name, cancellationToken)
            ?? throw new UsageException($"There is no certificate authority named '{InputParser.Shorten(name)}'. Run 'ca list' to see them.");

    private static Command CreateCommand(CliSession session)
    {
        var name = new Option<string>("--name") { Description = "The authority's name, unique in the tenant.", Required = true };
        var subject = new Option<string>("--subject") { Description = "Its certificate's subject, e.g. \"CN=Example Root CA, O=Example\".", Required = true };
        var parent = new Option<string?>("--parent") { Description = "Create an intermediate below this authority (by name); without it, a self-signed root." };
        var type = new Option<string?>("--type") { Description = "The key type (default ecdsa-p256): ecdsa-p256, ecdsa-p384, ecdsa-p521, rsa-2048..4096, ed25519.", HelpName = "type" };
        var days = new Option<int?>("--days") { Description = "Validity in days (default: a root 3650, an intermediate 1825 or what is left of its parent's; a root at most 7300, an intermediate 3650 and never past its parent)." };
        var crl = new Option<string?>("--crl-url") { Description = "Where its CRL will be published (http, https or ldap URL), written into what it issues." };
        var hsm = new Option<string?>("--hsm") { Description = "Generate the authority's key in this HSM slot's token (see 'hsm slots list')." };
        var command = new Command("create", "Create a root or intermediate certificate authority and publish its first CRL.") { name, subject, parent, type, days, crl, hsm };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var request = new CreateCertificateAuthorityRequest(parse.GetRequiredValue(name), parse.GetRequiredValue(subject))
            {
                KeySpec = parse.GetValue(type) is { } t ? InputParser.ParseSpec(t, "--type") : Keys.KeySpec.EcdsaP256,
                Validity = parse.GetValue(days) is { } d ? TimeSpan.FromDays(InputParser.ParseRange(d, "--days", 1, 7300)) : null,
                CrlDistributionPoint = parse.GetValue(crl) is { } url
                    ? Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : throw new UsageException($"--crl-url: '{InputParser.Shorten(url)}' is not an absolute URL.")
                    : null,
            };
            if (parse.GetValue(hsm) is { } slot)
            {
                request = request with { KeyBackend = Pkcs11BackendOptionNames.BackendName, KeyBackendOptions = new Dictionary<string, string> { [Pkcs11BackendOptionNames.Slot] = slot } };
            }

            var services = await context.StartAsync(ct);
            if (request.KeyBackend == Pkcs11BackendOptionNames.BackendName)
            {
                HsmCommand.RequireManager(services);
            }

            var authorities = CommandContext.Get<ICertificateAuthorities>(services);
            var created = parse.GetValue(parent) is { } parentName
                ? await authorities.CreateIntermediateAsync((await FindAsync(services, parentName, ct)).Id, request, ct)
                : await authorities.CreateRootAsync(request, ct);
            Print(context, [created]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliSession session)
    {
        var command = new Command("list", "List the tenant's certificate authorities.");
        CommandRunner.SetHandler(command, session, async (_, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            Print(context, await CommandContext.Get<ICertificateAuthorities>(services).ListAsync(ct));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliSession session)
    {
        var name = new Argument<string>("name") { Description = "The authority's name." };
        var pem = new Option<bool>("--pem") { Description = "Print its certificate chain as PEM (nearest first), for a trust store or openssl." };
        var command = new Command("show", "Show a certificate authority, or with --pem its certificate chain.") { name, pem };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var authority = await FindAsync(services, parse.GetRequiredValue(name), ct);
            if (parse.GetValue(pem))
            {
                foreach (var der in await CommandContext.Get<ICertificateAuthorities>(services).GetChainAsync(authority.Id, ct))
                {
                    context.Output.Write(CertificatePem.Certificate(der.Span));
                }

                return ExitCodes.Success;
            }

            Print(context, [authority]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CommandContext context, IReadOnlyList<CertificateAuthorityInfo> authorities)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Output, new
            {
                items = authorities.Select(a => new
                {
                    id = a.Id,
                    name = a.Name,
                    subject = a.Subject,
                    keyId = a.KeyId.ToString(),
                    parentId = a.ParentId,
                    profile = a.ProfileName,
                    notBefore = a.NotBefore,
                    notAfter = a.NotAfter,
                    crlNumber = a.CrlNumber,
                    nextCrlDue = a.NextCrlDue,
                    crlDistributionPoint = a.CrlDistributionPoint?.AbsoluteUri,
                }),
            });
            return;
        }

        var table = new TableWriter("name", "profile", "subject", "not after", "crl", "key");
        foreach (var a in authorities)
        {
            table.AddRow(a.Name, a.ProfileName, a.Subject, a.NotAfter.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), a.CrlNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), a.KeyId.ToString());
        }

        table.Write(context.Output);
    }
}
