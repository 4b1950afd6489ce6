using System.Globalization;
using System.Text;
using KeyInfra.Keys;
using KeyInfra.Sample.Hosting;
using KeyInfra.Sample.Output;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// The demo, run when the sample gets no command: a key of every type, a signature with each, a good and a
/// tampered verification each, a revocation, an unknown key, a ring rotation, a batch, the log, and, when an HSM
/// slot is configured, keys generated in its token (how to configure one otherwise).
/// Every run adds new keys to the same database; exit code 1 if any outcome is not the expected one.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The ring the demo's ECDSA P-256 keys join; each run adds versions.</summary>
    public const string RingName = "demo-signing";

    private const string Caller = "keyinfra-sample-demo";

    public static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var services = await context.StartAsync(cancellationToken);
        var store = CommandContext.Get<IKeyStore>(services);
        var signer = CommandContext.Get<ISigner>(services);
        var verifier = CommandContext.Get<IVerifier>(services);
        var log = CommandContext.Get<IVerificationLog>(services);
        var output = context.Json ? TextWriter.Null : context.Output;
        var surprises = new List<string>();

        var stamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        output.WriteLine($"KeyInfra demo on {SampleHost.DescribeStore(context.DatabasePath)}");
        output.WriteLine();

        // 1. Keys.
        var keys = new List<KeyInfo>();
        foreach (var spec in KeySpec.All)
        {
            var request = new CreateKeyRequest(spec, $"demo {spec.Name} {stamp}")
            {
                RingName = spec == KeySpec.EcdsaP256 ? RingName : null,
                Owner = "demo",
            };
            keys.Add(await store.CreateAsync(request, cancellationToken));
        }

        Section(output, "1. One key of every type");
        var keyTable = new TableWriter("ID", "TYPE", "NAME");
        foreach (var key in keys)
        {
            keyTable.AddRow(key.Id.ToString(), key.Spec.Name, key.Name);
        }

        keyTable.Write(output);

        // 2. Sign, then verify the document and a tampered copy.
        var document = Encoding.UTF8.GetBytes($"Invoice 2026-0042: pay 1,250.00 EUR to ACME Ltd. ({stamp})");
        var tampered = Encoding.UTF8.GetBytes($"Invoice 2026-0042: pay 9,250.00 EUR to ACME Ltd. ({stamp})");
        var signatures = new Dictionary<KeyId, byte[]>();
        var signRows = new List<DemoSignature>();
        foreach (var key in keys)
        {
            var signature = (await signer.SignAsync(new SignRequest(key.Id, document), cancellationToken)).Signature;
            signatures[key.Id] = signature;
            var good = await VerifyAsync(verifier, key.Id, document, signature, VerificationStatus.Valid, surprises, cancellationToken);
            var bad = await VerifyAsync(verifier, key.Id, tampered, signature, VerificationStatus.InvalidSignature, surprises, cancellationToken);
            signRows.Add(new DemoSignature(key.Id, key.Spec.Name, signature.Length, good, bad));
        }

        Section(output, "2. Sign a document with each key; verify it, and a tampered copy");
        var signTable = new TableWriter("TYPE", "SIGNATURE", "DOCUMENT", "TAMPERED");
        foreach (var row in signRows)
        {
            signTable.AddRow(row.Type, $"{row.SignatureBytes} bytes", row.Document.ToString(), row.Tampered.ToString());
        }

        signTable.Write(output);

        // 3. Revocation refuses verification from then on.
        var revoked = keys.First(k => k.Spec == KeySpec.Ed25519);
        await store.RevokeAsync(revoked.Id, RevocationReason.KeyCompromise, cancellationToken);
        var afterRevocation = await VerifyAsync(verifier, revoked.Id, document, signatures[revoked.Id], VerificationStatus.KeyRevoked, surprises, cancellationToken);
        Section(output, "3. Revoke a key");
        output.WriteLine($"Revoked {revoked.Id} ({revoked.Spec.Name}, key-compromise); its valid signature now verifies as: {afterRevocation}");

        // 4. A key id nobody created.
        var unknown = KeyId.New();
        var unknownStatus = await VerifyAsync(verifier, unknown, document, signatures[keys[0].Id], VerificationStatus.KeyNotFound, surprises, cancellationToken);
        Section(output, "4. An unknown key");
        output.WriteLine($"Verifying with {unknown}: {unknownStatus}");

        // 5. Rotation: the ring's next version; older versions keep verifying until revoked.
        var previous = keys[0];
        var rotated = await store.RotateAsync(RingName, cancellationToken);
        var oldStillValid = await VerifyAsync(verifier, previous.Id, document, signatures[previous.Id], VerificationStatus.Valid, surprises, cancellationToken);
        Section(output, $"5. Rotate the ring '{RingName}'");
        output.WriteLine($"v{previous.RingVersion} {previous.Id} -> v{rotated.RingVersion} {rotated.Id} ({rotated.Spec.Name}); v{previous.RingVersion} still verifies: {oldStillValid}");

        // 6. A batch: every key's signature, plus one tampered document.
        var requests = keys.Select(k => new VerificationRequest(k.Id, document, signatures[k.Id]) { Caller = Caller })
            .Append(new VerificationRequest(keys[1].Id, tampered, signatures[keys[1].Id]) { Caller = Caller })
            .ToArray();
        var expected = keys.Select(k => k.Id == revoked.Id ? VerificationStatus.KeyRevoked : VerificationStatus.Valid)
            .Append(VerificationStatus.InvalidSignature)
            .ToArray();
        var batch = await verifier.VerifyBatchAsync(requests, Caller, progress: null, cancellationToken);
        for (var i = 0; i < expected.Length; i++)
        {
            Expect(batch.Results[i].Status, expected[i], $"batch item {i + 1}", surprises);
        }

        Section(output, "6. Verify a batch");
        var batchTable = new TableWriter("#", "KEY", "STATUS");
        for (var i = 0; i < batch.Results.Count; i++)
        {
            batchTable.AddRow(Formats.Number(i + 1), batch.Results[i].KeyId.ToString(), batch.Results[i].Status.ToString());
        }

        batchTable.Write(output);
        output.WriteLine($"{batch.Results.Count} requests, {batch.ValidCount} valid; recorded as batch {batch.BatchId}.");

        // 7. The log: every outcome above was recorded, the refusals too.
        var entries = await log.QueryAsync(new VerificationLogQuery { PageSize = 12 }, cancellationToken);
        Section(output, "7. The verification log (newest 12 entries)");
        VerificationRecordView.Table(entries.Items).Write(output);

        // 8. Keys in an HSM: generated in the token, signed with there, verified in software from the stored public key.
        Section(output, "8. Keys in an HSM (PKCS#11)");
        var hsm = await HsmDemo.RunAsync(services, store, signer, verifier, document, tampered, stamp, output, surprises, cancellationToken);

        // 9. Access control: a user with the 'user' role works with its own keys only.
        Section(output, "9. Access control");
        var accessControl = await AccessControlDemo.RunAsync(services, keys[0], signatures[keys[0].Id], document, stamp, output, surprises, cancellationToken);

        if (context.Json)
        {
            JsonOutput.Write(context.Output, new
            {
                database = SampleHost.DescribeStore(context.DatabasePath),
                keys = keys.Select(k => new { id = k.Id, type = k.Spec.Name, name = k.Name }),
                signatures = signRows,
                revoked = new { keyId = revoked.Id, status = afterRevocation },
                unknownKey = new { keyId = unknown, status = unknownStatus },
                rotation = new { ring = RingName, from = previous.Id, to = rotated.Id, version = rotated.RingVersion },
                batch = new { batchId = batch.BatchId, total = batch.Results.Count, valid = batch.ValidCount, results = batch.Results },
                log = entries.Items.Select(VerificationRecordView.From),
                hsm,
                accessControl,
                surprises,
            });
        }

        if (surprises.Count > 0)
        {
            foreach (var surprise in surprises)
            {
                context.Error.WriteLine($"error: demo: {surprise}");
            }

            return ExitCodes.NotValid;
        }

        output.WriteLine();
        output.WriteLine("Every outcome was the expected one. Run again to add more keys; see --help for the commands.");
        return ExitCodes.Success;
    }

    internal static async Task<VerificationStatus> VerifyAsync(
        IVerifier verifier, KeyId keyId, byte[] document, byte[] signature, VerificationStatus expected, List<string> surprises, CancellationToken cancellationToken)
    {
        var result = await verifier.VerifyAsync(new VerificationRequest(keyId, document, signature) { Caller = Caller }, cancellationToken);
        Expect(result.Status, expected, $"verification with {keyId}", surprises);
        return result.Status;
    }

    internal static void Expect(VerificationStatus actual, VerificationStatus expected, string what, List<string> surprises)
    {
        if (actual != expected)
        {
            surprises.Add($"{what}: expected {expected}, got {actual}.");
        }
    }

    private static void Section(TextWriter output, string title)
    {
        output.WriteLine();
        output.WriteLine(title);
        output.WriteLine();
    }
}
