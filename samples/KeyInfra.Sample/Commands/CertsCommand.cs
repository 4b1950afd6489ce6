using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using KeyInfra.Certificates;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary><c>certs issue|list|show|renew|revoke|export|expiring</c>: certificates for network devices (docs/certificates.md).</summary>
internal static class CertsCommand
{
    private const string DefaultPinVariable = "KEYINFRA_EXPORT_PIN";

    public static Command Create(CliSession session)
        => new("certs", "Certificates issued by the tenant's authorities: from a device's CSR or for a KeyInfra key.")
        {
            Issue(session),
            List(session),
            Show(session),
            Renew(session),
            Revoke(session),
            Export(session),
            Expiring(session),
        };

    private static Command Issue(CliSession session)
    {
        var ca = new Option<string>("--ca") { Description = "The issuing authority's name.", Required = true };
        var csr = new Option<string?>("--csr") { Description = "The device's PKCS#10 request (PEM or DER file); its subject and DNS/IP names are used." };
        var key = new Option<string?>("--key") { Description = "Certify this KeyInfra key instead (with --subject and --dns/--ip)." };
        var subject = new Option<string?>("--subject") { Description = "With --key: the subject, e.g. \"CN=switch-01.example.net\"." };
        var dns = new Option<string[]>("--dns") { Description = "With --key: a DNS name (repeatable).", AllowMultipleArgumentsPerToken = true };
        var ip = new Option<string[]>("--ip") { Description = "With --key: an IP address (repeatable).", AllowMultipleArgumentsPerToken = true };
        var profile = new Option<string?>("--profile") { Description = "network-device (default), network-device-server or network-device-client." };
        var days = new Option<int?>("--days") { Description = "Validity in days (default 365, at most 397)." };
        var owner = new Option<string?>("--owner") { Description = "Whose certificate it is (default: the caller)." };
        var output = new Option<string?>("--out") { Description = "Also write the certificate to this file, PEM." };
        var command = new Command("issue", "Issue a certificate.") { ca, csr, key, subject, dns, ip, profile, days, owner, output };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var authority = await CaCommand.FindAsync(services, parse.GetRequiredValue(ca), ct);
            var request = new IssueCertificateRequest(authority.Id)
            {
                ProfileName = parse.GetValue(profile) ?? CertificateProfile.NetworkDevice.Name,
                Validity = TimeSpan.FromDays(InputParser.ParseRange(parse.GetValue(days) ?? 365, "--days", 1, 3650)),
                Owner = parse.GetValue(owner),
            };
            if (parse.GetValue(csr) is { } csrFile)
            {
                request = request with { SigningRequest = InputParser.ReadFile(csrFile, context.WorkingDirectory, "--csr", 64 * 1024) };
            }
            else if (parse.GetValue(key) is { } keyText)
            {
                request = request with
                {
                    Key = InputParser.ParseKeyId(keyText, "--key"),
                    Subject = parse.GetValue(subject),
                    DnsNames = parse.GetValue(dns) ?? [],
                    IpAddresses = [.. (parse.GetValue(ip) ?? []).Select(a => IPAddress.TryParse(a, out var address) ? address : throw new UsageException($"--ip: '{InputParser.Shorten(a)}' is not an IP address."))],
                };
            }
            else
            {
                throw new UsageException("Give --csr <file> (a device's request) or --key <id> (a KeyInfra key) with --subject and --dns/--ip.");
            }

            var issued = await CommandContext.Get<ICertificateStore>(services).IssueAsync(request, ct);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(Path.GetFullPath(file, context.WorkingDirectory), CertificatePem.Certificate(issued.Der.Span), ct);
            }

            Print(context, [issued]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliSession session)
    {
        var ca = new Option<string?>("--ca") { Description = "Only this authority's." };
        var owner = new Option<string?>("--owner") { Description = "Only this owner's." };
        var status = new Option<string?>("--status") { Description = "Only those with this status: active, superseded, revoked." };
        var limit = new Option<int?>("--limit") { Description = "At most this many (1–1000, default 100)." };
        var command = new Command("list", "List certificates, oldest first.") { ca, owner, status, limit };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var query = new CertificateQuery
            {
                AuthorityId = parse.GetValue(ca) is { } name ? (await CaCommand.FindAsync(services, name, ct)).Id : null,
                Owner = parse.GetValue(owner),
                Status = parse.GetValue(status) is { } s ? InputParser.ParseEnum<CertificateStatus>(s, "--status") : null,
                Limit = InputParser.ParseRange(parse.GetValue(limit) ?? 100, "--limit", 1, 1000),
            };
            Print(context, (await CommandContext.Get<ICertificateStore>(services).ListAsync(query, ct)).Items);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The certificate's id." };
        var pem = new Option<bool>("--pem") { Description = "Print the certificate as PEM." };
        var command = new Command("show", "Show a certificate, or with --pem the certificate itself.") { id, pem };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var certificate = await RequireAsync(services, parse.GetRequiredValue(id), ct);
            if (parse.GetValue(pem))
            {
                context.Output.Write(CertificatePem.Certificate(certificate.Der.Span));
                return ExitCodes.Success;
            }

            Print(context, [certificate]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Renew(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The certificate to renew (it must be active)." };
        var command = new Command("renew", "Renew a certificate: a new serial, the same subject, names and key; the old one superseded.") { id };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            Print(context, [await CommandContext.Get<ICertificateStore>(services).RenewAsync(ParseId(parse.GetRequiredValue(id)), ct)]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Revoke(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The certificate to revoke." };
        var reason = new Option<string?>("--reason") { Description = "Why (RFC 5280): unspecified (default), key-compromise, affiliation-changed, superseded, cessation-of-operation, certificate-hold, privilege-withdrawn." };
        var command = new Command("revoke", "Revoke a certificate and publish its authority's next CRL.") { id, reason };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var why = parse.GetValue(reason) is { } r ? InputParser.ParseEnum<X509RevocationReason>(r, "--reason") : X509RevocationReason.Unspecified;
            Print(context, [await CommandContext.Get<ICertificateStore>(services).RevokeAsync(ParseId(parse.GetRequiredValue(id)), why, ct)]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Export(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The certificate to export." };
        var output = new Option<string>("--out") { Description = "The PKCS#12 file to write.", Required = true };
        var withKey = new Option<bool>("--with-key") { Description = "Include the private key (software keys only; an HSM key never leaves its token)." };
        var pinEnv = new Option<string?>("--pin-env") { Description = $"Read the PIN from this environment variable (default {DefaultPinVariable}); never from an argument." };
        var pinStdin = new Option<bool>("--pin-stdin") { Description = "Read the PIN from the first line of standard input." };
        var command = new Command("export", "Export a certificate and its chain as PKCS#12 (AES-256, PBKDF2) under a PIN of at least 12 characters.") { id, output, withKey, pinEnv, pinStdin };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var pinBytes = parse.GetValue(pinStdin)
                ? await PinReader.FromStreamAsync(context.Input, ct)
                : PinReader.FromEnvironment(parse.GetValue(pinEnv) ?? DefaultPinVariable);
            string pin;
            try
            {
                pin = Encoding.UTF8.GetString(pinBytes);
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(pinBytes);
            }

            var services = await context.StartAsync(ct);
            var pfx = await CommandContext.Get<ICertificateStore>(services).ExportPkcs12Async(ParseId(parse.GetRequiredValue(id)), pin, parse.GetValue(withKey), ct);
            var path = Path.GetFullPath(parse.GetRequiredValue(output), context.WorkingDirectory);
            await File.WriteAllBytesAsync(path, pfx, ct);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            if (context.Json)
            {
                JsonOutput.Write(context.Output, new { file = path, bytes = pfx.Length, privateKey = parse.GetValue(withKey) });
            }
            else
            {
                context.Output.WriteLine($"Wrote {path} ({pfx.Length} bytes{(parse.GetValue(withKey) ? ", with the private key" : "")}).");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Expiring(CliSession session)
    {
        var days = new Option<int?>("--days") { Description = "How many days ahead (default 7)." };
        var owner = new Option<string?>("--owner") { Description = "Only this owner's." };
        var command = new Command("expiring", "List the active certificates that expire within the next days, soonest first.") { days, owner };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var within = TimeSpan.FromDays(InputParser.ParseRange(parse.GetValue(days) ?? 7, "--days", 1, 3650));
            Print(context, await CommandContext.Get<ICertificateStore>(services).ListExpiringAsync(within, parse.GetValue(owner), ct));
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<CertificateInfo> RequireAsync(IServiceProvider services, string id, CancellationToken cancellationToken)
        => await CommandContext.Get<ICertificateStore>(services).GetAsync(ParseId(id), cancellationToken)
            ?? throw new UsageException($"There is no certificate {InputParser.Shorten(id)}. Run 'certs list' to see them.");

    private static Guid ParseId(string text)
        => Guid.TryParse(text, out var id) ? id : throw new UsageException($"'{InputParser.Shorten(text)}' is not a certificate id (a UUID, as 'certs list' prints it).");

    private static void Print(CommandContext context, IReadOnlyList<CertificateInfo> certificates)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Output, new
            {
                items = certificates.Select(c => new
                {
                    id = c.Id,
                    authorityId = c.AuthorityId,
                    serialNumber = c.SerialNumber,
                    owner = c.Owner,
                    subject = c.Subject,
                    dnsNames = c.DnsNames,
                    ipAddresses = c.IpAddresses,
                    notBefore = c.NotBefore,
                    notAfter = c.NotAfter,
                    status = c.Status.ToString().ToLowerInvariant(),
                    version = c.Version,
                    profile = c.ProfileName,
                    keyId = c.KeyId?.ToString(),
                    previousId = c.PreviousId,
                    renewedAt = c.RenewedAt,
                    renewedBy = c.RenewedBy,
                }),
            });
            return;
        }

        var table = new TableWriter("id", "status", "v", "not after", "subject", "names");
        foreach (var c in certificates)
        {
            table.AddRow(c.Id.ToString(), c.Status.ToString().ToLowerInvariant(), c.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                c.NotAfter.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), c.Subject, string.Join(",", c.DnsNames.Concat(c.IpAddresses)));
        }

        table.Write(context.Output);
    }
}
