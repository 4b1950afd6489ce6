using System.CommandLine;
using System.Text;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Pkcs11;
using KeyInfra.PrivateKeys;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Tenancy;

namespace KeyInfra.Sample.Commands;

/// <summary><c>keys create|import|list|show|export|revoke|expire|delete|rotate</c>: the key registry.</summary>
internal static class KeysCommand
{
    private static readonly string TypeNames = string.Join("|", KeySpec.All.Select(s => s.Name));

    private const string SoftwareKeyText = "held by KeyInfra (encrypted)";

    public static Command Create(CliSession session)
    {
        var keys = new Command("keys", "Create (in software or an HSM), adopt, import, list, export, revoke, expire, delete, rotate and authenticate keys.")
        {
            CreateCommand(session),
            AdoptCommand(session),
            ImportCommand(session),
            ListCommand(session),
            ShowCommand(session),
            ExportCommand(session),
            RevokeCommand(session),
            ExpireCommand(session),
            DeleteCommand(session),
            RotateCommand(session),
            AuthenticateKeysCommand.Create(session),
        };
        return keys;
    }

    private static Command CreateCommand(CliSession session)
    {
        var options = new KeyCreationOptionSet();
        var hsm = new Option<string?>("--hsm")
        {
            Description = "Generate the key pair inside this HSM slot's token (see 'hsm slots list'); the private key never leaves it.",
            HelpName = "slot",
        };
        var command = new Command("create", "Generate a key pair; the private key is stored encrypted under the master key, or with --hsm kept in an HSM token.");
        options.AddTo(command);
        command.Add(hsm);
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var request = options.Parse(parse);
            var slot = parse.GetValue(hsm);
            if (slot is not null)
            {
                request = request with { Backend = Pkcs11BackendOptionNames.BackendName, BackendOptions = HsmBackendOptions(slot, "--hsm") };
            }

            var services = await context.StartAsync(ct);
            if (slot is not null)
            {
                HsmCommand.RequireManager(services);
            }

            var key = await CommandContext.Get<IKeyStore>(services).CreateAsync(request, ct);
            PrintKey(context, key, slot);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command AdoptCommand(CliSession session)
    {
        var options = new KeyCreationOptionSet();
        var hsm = new Option<string>("--hsm") { Description = "The HSM slot whose token holds the key pair.", HelpName = "slot", Required = true };
        var label = new Option<string?>("--label") { Description = "The private key's CKA_LABEL in the token." };
        var id = new Option<string?>("--id") { Description = "The private key's CKA_ID in the token, in hexadecimal.", HelpName = "hex" };
        var command = new Command(
            "adopt",
            "Register a key pair that another tool generated in an HSM token (found by --label and/or --id): KeyInfra checks it is a sensitive, " +
            "non-extractable signing key whose public key object belongs to it, then signs with it in the token.");
        options.AddTo(command);
        command.Add(hsm);
        command.Add(label);
        command.Add(id);
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var slot = parse.GetRequiredValue(hsm);
            var objectLabel = parse.GetValue(label);
            var objectId = parse.GetValue(id);
            if (objectLabel is null && objectId is null)
            {
                throw new UsageException("Name the token's key with --label <CKA_LABEL>, --id <CKA_ID in hex>, or both (pkcs11-tool --list-objects --login shows them).");
            }

            var backendOptions = HsmBackendOptions(slot, "--hsm");
            if (objectLabel is not null)
            {
                if (objectLabel.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(objectLabel) > 256 || objectLabel.Any(char.IsControl))
                {
                    throw new UsageException("--label is a CKA_LABEL of 1 to 256 UTF-8 bytes, without control characters.");
                }

                backendOptions[Pkcs11BackendOptionNames.AdoptLabel] = objectLabel;
            }

            if (objectId is not null)
            {
                backendOptions[Pkcs11BackendOptionNames.AdoptId] = InputParser.ParseHexId(objectId, "--id", 128);
            }

            var request = options.Parse(parse) with { Backend = Pkcs11BackendOptionNames.BackendName, BackendOptions = backendOptions };
            var services = await context.StartAsync(ct);
            HsmCommand.RequireManager(services);
            var key = await CommandContext.Get<IKeyStore>(services).CreateAsync(request, ct);
            PrintKey(context, key, slot);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Dictionary<string, string> HsmBackendOptions(string slot, string option)
    {
        if (slot.Length is 0 or > 200 || slot.Any(char.IsControl))
        {
            throw new UsageException($"{option} is the name of an HSM slot (1 to 200 characters, as 'hsm slots list' prints it).");
        }

        return new Dictionary<string, string>(StringComparer.Ordinal) { [Pkcs11BackendOptionNames.Slot] = slot };
    }

    private static Command ImportCommand(CliSession session)
    {
        var name = new Option<string>("--name") { Description = "A human-readable name.", Required = true };
        var format = new Option<string>("--format") { Description = "How the key is encoded.", HelpName = "pem|der|raw", Required = true };
        var type = new Option<string?>("--type") { Description = "The key type: required for raw EC points, checked otherwise.", HelpName = TypeNames };
        var file = new Option<string?>("--file") { Description = "Read the key from this file (default: standard input).", HelpName = "path" };
        var ring = new Option<string?>("--ring") { Description = "Add the key to this ring as its next version." };
        var owner = new Option<string?>("--owner") { Description = "Who owns the key (free text)." };
        var command = new Command("import", "Record an existing public key, for verification only.") { name, format, type, file, ring, owner };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var keyFormat = InputParser.ParseEnum<KeyFormat>(parse.GetRequiredValue(format), "--format");
            if (keyFormat == KeyFormat.Jwk)
            {
                throw new UsageException("--format jwk is for export only; import a key as pem, der or raw.");
            }

            var spec = parse.GetValue(type) is { } t ? InputParser.ParseSpec(t, "--type") : null;
            var data = parse.GetValue(file) is { } path
                ? InputParser.ReadFile(path, context.WorkingDirectory, "--file", InputParser.MaxKeyFileBytes)
                : await InputParser.ReadStreamAsync(context.Input, "The key on standard input", InputParser.MaxKeyFileBytes, ct);
            if (data.Length == 0)
            {
                throw new UsageException("No key data: give the key with --file <path> or pipe it to standard input.");
            }

            if (keyFormat == KeyFormat.Raw && spec is null && data.Length != 32)
            {
                // 32 raw bytes are an Ed25519 key; an EC point does not say which curve it is on.
                throw new UsageException("A raw EC point does not say which curve it is on: add --type (for example --type ecdsa-p256).");
            }

            var request = new ImportKeyRequest(parse.GetRequiredValue(name), data, keyFormat)
            {
                ExpectedSpec = spec,
                RingName = parse.GetValue(ring),
                Owner = parse.GetValue(owner),
            };
            var services = await context.StartAsync(ct);
            var key = await CommandContext.Get<IKeyStore>(services).ImportAsync(request, ct);
            PrintKey(context, key);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCommand(CliSession session)
    {
        var status = new Option<string?>("--status") { Description = "Only keys in this stored status.", HelpName = "active|revoked|expired" };
        var ring = new Option<string?>("--ring") { Description = "Only keys in this ring." };
        var owner = new Option<string?>("--owner") { Description = "Only keys of this owner." };
        var pageSize = new Option<int>("--page-size") { Description = $"Keys per page, 1–{KeyQuery.MaxPageSize}.", DefaultValueFactory = _ => 100 };
        var after = new Option<string?>("--after") { Description = "Start after this key id (the 'next' cursor of the previous page).", HelpName = "id" };
        var command = new Command("list", "List keys, oldest first, one page at a time.") { status, ring, owner, pageSize, after };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var query = new KeyQuery
            {
                Status = parse.GetValue(status) is { } s ? InputParser.ParseEnum<KeyStatus>(s, "--status") : null,
                RingName = parse.GetValue(ring),
                Owner = parse.GetValue(owner),
                PageSize = InputParser.ParseRange(parse.GetValue(pageSize), "--page-size", 1, KeyQuery.MaxPageSize),
                After = parse.GetValue(after) is { } a ? InputParser.ParseKeyId(a, "--after") : null,
            };
            var services = await context.StartAsync(ct);
            var page = await CommandContext.Get<IKeyStore>(services).ListAsync(query, ct);
            var now = DateTimeOffset.UtcNow;
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new { items = page.Items.Select(k => KeyView.From(k, now)), next = page.NextCursor });
                return ExitCodes.Success;
            }

            KeyView.Table(page.Items.Select(k => KeyView.From(k, now))).Write(context.Output);
            context.Output.WriteLine(page.NextCursor is { } next
                ? $"{page.Items.Count} keys shown; more with: keys list --after {next}"
                : $"{page.Items.Count} keys.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ShowCommand(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The key id." };
        var command = new Command("show", "Show one key in full (public data only).") { id };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var keyId = InputParser.ParseKeyId(parse.GetValue(id), "The key id");
            var services = await context.StartAsync(ct);
            var key = await CommandContext.Get<IKeyStore>(services).GetAsync(keyId, ct) ?? throw NotFound(keyId);

            // Which backend holds the private key (the row's authenticated backend name; the key store does not say).
            var backend = key.HasPrivateKey
                ? (await CommandContext.Get<IKeyRepository>(services).FindAsync(CommandContext.Get<ITenantContext>(services).TenantId, keyId, includePrivateKey: false, ct))?.PrivateKeyBackend
                : null;
            var view = KeyView.From(key, DateTimeOffset.UtcNow) with { Backend = backend };
            if (context.Json)
            {
                JsonOutput.Write(context.Output, view);
                return ExitCodes.Success;
            }

            var table = new TableWriter("FIELD", "VALUE")
                .AddRow("id", view.Id.ToString())
                .AddRow("name", view.Name)
                .AddRow("type", view.Type)
                .AddRow("status", view.EffectiveStatus.ToString())
                .AddRow("private key", !view.HasPrivateKey ? "none (imported public key)"
                    : view.Backend == Pkcs11BackendOptionNames.BackendName ? "in an HSM token (pkcs11): it never leaves the token"
                    : view.Backend == PrivateKeyBackendNames.Software ? SoftwareKeyText
                    : $"held by the '{view.Backend}' backend")
                .AddRow("created", Formats.Time(view.CreatedAt))
                .AddRow("expires", Formats.Time(view.ExpiresAt))
                .AddRow("revoked", view.RevokedAt is null ? null : $"{Formats.Time(view.RevokedAt)} ({view.RevocationReason})")
                .AddRow("ring", view.RingLabel)
                .AddRow("owner", view.Owner)
                .AddRow("hash", view.HashAlgorithm)
                .AddRow("encoding", view.SignatureEncoding is { } e ? Names.Kebab(e) : null)
                .AddRow("padding", view.RsaPadding is { } p ? Names.Kebab(p) : null);
            foreach (var (metaKey, metaValue) in view.Metadata)
            {
                table.AddRow($"metadata.{metaKey}", metaValue);
            }

            table.Write(context.Output);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ExportCommand(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The key id." };
        var format = new Option<string>("--format") { Description = "The public key encoding.", HelpName = "pem|der|raw|jwk", Required = true };
        var output = new Option<string?>("--out") { Description = "Write to this file (binary formats are otherwise printed as Base64).", HelpName = "file" };
        var command = new Command("export", "Export a key's public key. Private keys are never exported.") { id, format, output };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var keyId = InputParser.ParseKeyId(parse.GetValue(id), "The key id");
            var keyFormat = InputParser.ParseEnum<KeyFormat>(parse.GetRequiredValue(format), "--format");
            var outPath = parse.GetValue(output);
            var services = await context.StartAsync(ct);
            var data = await CommandContext.Get<IKeyStore>(services).ExportPublicKeyAsync(keyId, keyFormat, ct);
            var isText = keyFormat is KeyFormat.Pem or KeyFormat.Jwk;
            if (outPath is not null)
            {
                var fullPath = Path.GetFullPath(outPath, context.WorkingDirectory);
                await File.WriteAllBytesAsync(fullPath, data, ct);
                if (context.Json)
                {
                    JsonOutput.Write(context.Output, new { keyId, format = keyFormat, file = fullPath, bytes = data.Length });
                }
                else
                {
                    context.Output.WriteLine($"Wrote the {Names.Kebab(keyFormat)} public key of {keyId} ({data.Length} bytes) to {outPath}.");
                }

                return ExitCodes.Success;
            }

            var text = isText ? Encoding.UTF8.GetString(data) : Convert.ToBase64String(data);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new { keyId, format = keyFormat, encoding = isText ? "text" : "base64", value = text });
            }
            else
            {
                context.Output.WriteLine(text.TrimEnd('\n'));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RevokeCommand(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The key id." };
        var reason = new Option<string?>("--reason")
        {
            Description = "Why (RFC 5280 reasons).",
            HelpName = string.Join("|", Enum.GetValues<RevocationReason>().Select(r => Names.Kebab(r))),
        };
        var command = new Command("revoke", "Revoke a key: it stops signing and verifying, for good.") { id, reason };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var keyId = InputParser.ParseKeyId(parse.GetValue(id), "The key id");
            var why = parse.GetValue(reason) is { } r ? InputParser.ParseEnum<RevocationReason>(r, "--reason") : RevocationReason.Unspecified;
            var services = await context.StartAsync(ct);
            var key = await CommandContext.Get<IKeyStore>(services).RevokeAsync(keyId, why, ct);
            PrintKey(context, key);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ExpireCommand(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The key id." };
        var command = new Command("expire", "Mark a key expired now.") { id };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var keyId = InputParser.ParseKeyId(parse.GetValue(id), "The key id");
            var services = await context.StartAsync(ct);
            var key = await CommandContext.Get<IKeyStore>(services).ExpireAsync(keyId, ct);
            PrintKey(context, key);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command DeleteCommand(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The key id." };
        var command = new Command("delete", "Delete a key that was never used for verification (revoke used keys instead).") { id };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var keyId = InputParser.ParseKeyId(parse.GetValue(id), "The key id");
            var services = await context.StartAsync(ct);
            if (!await CommandContext.Get<IKeyStore>(services).DeleteAsync(keyId, ct))
            {
                throw NotFound(keyId);
            }

            if (context.Json)
            {
                JsonOutput.Write(context.Output, new { keyId, deleted = true });
            }
            else
            {
                context.Output.WriteLine($"Deleted key {keyId}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RotateCommand(CliSession session)
    {
        var ring = new Argument<string>("ring") { Description = "The ring name." };
        var command = new Command("rotate", "Create the next version of a ring (same type); older versions keep verifying until revoked.") { ring };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var key = await CommandContext.Get<IKeyStore>(services).RotateAsync(parse.GetRequiredValue(ring), ct);
            PrintKey(context, key);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Prints a key as a one-row table, or with <c>--json</c> as an object; <paramref name="hsmSlot"/> names the slot of a key in a token.</summary>
    private static void PrintKey(CommandContext context, KeyInfo key, string? hsmSlot = null)
    {
        var view = KeyView.From(key, DateTimeOffset.UtcNow);
        if (hsmSlot is not null)
        {
            view = view with { Backend = Pkcs11BackendOptionNames.BackendName, HsmSlot = hsmSlot };
        }

        if (context.Json)
        {
            JsonOutput.Write(context.Output, view);
            return;
        }

        KeyView.Table([view]).Write(context.Output);
        if (hsmSlot is not null)
        {
            context.Output.WriteLine($"The private key is in the token of HSM slot '{hsmSlot}'; it never leaves it.");
        }
    }

    /// <summary>The same KI1101 error the key store raises, for lookups that return nothing instead of throwing.</summary>
    internal static UnknownKeyException NotFound(KeyId id)
        => new(ErrorCodes.KeyNotFound, $"No key with id {id} exists in this tenant. Check the id, or run 'keys list' to find it.", id);
}
