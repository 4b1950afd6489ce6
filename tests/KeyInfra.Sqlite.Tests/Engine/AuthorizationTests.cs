using System.Security.Cryptography;
using KeyInfra.Authorization;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>The authorization seam on a real host and SQLite file, with <see cref="RuleAuthorizer"/> as the host's authorizer.</summary>
[TestClass]
public sealed class AuthorizationTests
{
    private const int AccessDeniedEventId = 1301;
    private static readonly byte[] Document = "who may"u8.ToArray();
    private static readonly RuleAuthorizer s_authorizer = new();
    private static readonly LogCapture s_logs = new();
    private static KeyInfraTestHost s_host = null!;

    private static IKeyStore Keys => s_host.Get<IKeyStore>();

    private static ISigner Signer => s_host.Get<ISigner>();

    private static IVerifier Verifier => s_host.Get<IVerifier>();

    private static IVerificationLog Log => s_host.Get<IVerificationLog>();

    private static AsyncLocalCallerContext Callers => s_host.Get<AsyncLocalCallerContext>();

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
        => s_host = await KeyInfraTestHost.StartAsync(services: s =>
        {
            s.Replace(ServiceDescriptor.Singleton<IKeyInfraAuthorizer>(s_authorizer));
            s.AddLogging(b => b.AddProvider(s_logs));
        });

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        await s_host.DisposeAsync();
        KeyInfraTestHost.DeleteFolder(s_host.Folder);
    }

    [TestMethod]
    public async Task SignAsync_CallerDenied_ThrowsAccessDeniedWithItsCodeAndLogsAWarning()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "no-sign"));
        var intruder = Caller.ForApplication("intruder-sign");
        s_authorizer.Deny(intruder.StableId, KeyInfraOperation.Sign, "not a signer");

        AccessDeniedException error;
        using (Callers.Use(intruder))
        {
            error = await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => Signer.SignAsync(new SignRequest(key.Id, Document)));
        }

        Assert.AreEqual(ErrorCodes.AccessDenied, error.ErrorCode);
        Assert.AreEqual("KI5001", error.ErrorCode);
        Assert.AreEqual(KeyInfraOperation.Sign, error.Operation);
        Assert.AreEqual(key.Id, error.KeyId);
        Assert.AreEqual("app:intruder-sign", error.CallerId);
        StringAssert.StartsWith(error.Message, "KI5001: ");
        StringAssert.Contains(error.Message, $"sign with key {key.Id}");
        StringAssert.Contains(error.Message, "(Sign)");
        Assert.IsFalse(error.Message.Contains("not a signer", StringComparison.Ordinal), "The authorizer's reason goes to the log, not into the message.");
        var warning = s_logs.Entries.Single(e => e.EventId.Id == AccessDeniedEventId && e.Text.Contains("app:intruder-sign", StringComparison.Ordinal));
        Assert.AreEqual(LogLevel.Warning, warning.Level);
        StringAssert.Contains(warning.Text, key.Id.ToString());
        StringAssert.Contains(warning.Text, "not a signer");
    }

    [TestMethod]
    public async Task SignAsync_UnknownOrRevokedKeyDenied_ThrowsAccessDeniedNotTheKeyState()
    {
        var revoked = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "revoked-and-denied"));
        await Keys.RevokeAsync(revoked.Id, RevocationReason.Superseded);
        var unknown = KeyId.New();
        var prober = Caller.ForUser("prober-sign");
        s_authorizer.DenyKey(prober.StableId, revoked.Id, "not this key");
        s_authorizer.DenyKey(prober.StableId, unknown, "not this key");

        using (Callers.Use(prober))
        {
            var onRevoked = await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => Signer.SignAsync(new SignRequest(revoked.Id, Document)));
            var onUnknown = await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => Signer.SignAsync(new SignRequest(unknown, Document)));

            Assert.AreEqual(revoked.Id, onRevoked.KeyId);
            Assert.AreEqual(unknown, onUnknown.KeyId);
        }

        var asked = s_authorizer.SeenFor(prober.StableId).ToList();
        Assert.AreEqual(revoked.Id, asked.Single(r => r.KeyId == revoked.Id).Key?.Id, "An existing key is handed over as the engine holds it.");
        Assert.IsNull(asked.Single(r => r.KeyId == unknown).Key, "A key that does not exist is handed over as null.");
    }

    [TestMethod]
    public async Task SignAsync_CallerAllowed_SignsAndTheAuthorizerGotTheKeyCallerAndTenant()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP384, "signer") { Owner = "team-a" });
        var signer = Caller.ForApplication("billing", "Billing service");

        SignResult signature;
        using (Callers.Use(signer))
        {
            signature = await Signer.SignAsync(new SignRequest(key.Id, Document));
        }

        Assert.IsTrue((await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature))).IsValid);
        var asked = s_authorizer.SeenFor(signer.StableId).Single();
        Assert.AreEqual(KeyInfraOperation.Sign, asked.Operation);
        Assert.AreEqual(key.Id, asked.KeyId);
        Assert.AreEqual("team-a", asked.Key?.Owner);
        Assert.AreEqual(key.TenantId, asked.TenantId);
        Assert.AreSame(signer, asked.Caller);
    }

    [TestMethod]
    public async Task VerifyAsync_CallerDenied_ReturnsAccessDeniedAndRecordsItWithTheCaller()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "no-verify"));
        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document));
        var mallory = Caller.ForUser("mallory-verify", "Mallory");
        s_authorizer.DenyKey(mallory.StableId, key.Id, "not a relying party of this key");

        VerificationResult result;
        using (Callers.Use(mallory))
        {
            result = await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));
        }

        Assert.AreEqual(VerificationStatus.AccessDenied, result.Status);
        Assert.IsFalse(result.IsValid);
        var record = (await Log.QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items.Single();
        Assert.AreEqual(result.RecordId, record.Id);
        Assert.AreEqual(VerificationStatus.AccessDenied, record.Status);
        Assert.IsTrue(record.KeyExists);
        Assert.AreEqual("Mallory", record.Caller);
        Assert.AreEqual("user:mallory-verify", record.CallerId);
        Assert.AreEqual("not a relying party of this key", record.Detail);
        CollectionAssert.AreEqual(SHA256.HashData(Document), record.DocumentSha256);
        var denied = await Log.QueryAsync(new VerificationLogQuery { KeyId = key.Id, Status = VerificationStatus.AccessDenied });
        Assert.AreEqual(1, denied.Items.Count);
        Assert.AreEqual(key.Id, s_authorizer.SeenFor(mallory.StableId).Single().Key?.Id, "The verifier hands over the cached key.");
        Assert.IsTrue(s_logs.Entries.Any(e => e.EventId.Id == AccessDeniedEventId && e.Level == LogLevel.Warning && e.Text.Contains("user:mallory-verify", StringComparison.Ordinal) && e.Text.Contains(key.Id.ToString(), StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task VerifyAsync_UnknownKeyDenied_AccessDeniedRatherThanKeyNotFound()
    {
        var unknown = KeyId.New();
        var prober = Caller.ForUser("prober-verify");
        s_authorizer.DenyKey(prober.StableId, unknown, "not this key");

        VerificationResult result;
        using (Callers.Use(prober))
        {
            result = await Verifier.VerifyAsync(new VerificationRequest(unknown, Document, new byte[64]));
        }

        Assert.AreEqual(VerificationStatus.AccessDenied, result.Status);
        var record = (await Log.QueryAsync(new VerificationLogQuery { KeyId = unknown })).Items.Single();
        Assert.AreEqual(VerificationStatus.AccessDenied, record.Status);
        Assert.IsFalse(record.KeyExists);
    }

    [TestMethod]
    public async Task VerifyBatchAsync_OneOfTwoKeysDenied_ItsItemsAccessDeniedTheOthersChecked()
    {
        var allowed = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "batch-allowed"));
        var denied = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "batch-denied"));
        var allowedSignature = (await Signer.SignAsync(new SignRequest(allowed.Id, Document))).Signature;
        var deniedSignature = (await Signer.SignAsync(new SignRequest(denied.Id, Document))).Signature;
        var batcher = Caller.ForApplication("batcher", "Batch job");
        s_authorizer.DenyKey(batcher.StableId, denied.Id, "not this key");
        VerificationRequest[] requests =
        [
            new(allowed.Id, Document, allowedSignature),
            new(denied.Id, Document, deniedSignature),
            new(allowed.Id, "tampered"u8.ToArray(), allowedSignature),
            new(denied.Id, Document, deniedSignature),
        ];

        BatchVerificationResult result;
        using (Callers.Use(batcher))
        {
            result = await Verifier.VerifyBatchAsync(requests);
        }

        VerificationStatus[] expected = [VerificationStatus.Valid, VerificationStatus.AccessDenied, VerificationStatus.InvalidSignature, VerificationStatus.AccessDenied];
        CollectionAssert.AreEqual(expected, result.Results.Select(r => r.Status).ToArray());
        var stored = await Log.GetBatchAsync(result.BatchId!.Value);
        Assert.IsNotNull(stored);
        CollectionAssert.AreEqual(expected, stored.Items.Select(i => i.Status).ToArray());
        Assert.AreEqual("Batch job", stored.Caller);
        Assert.AreEqual("app:batcher", stored.CallerId);
        Assert.AreEqual("not this key", stored.Items[1].Detail);
        Assert.IsNull(stored.Items[0].Detail);
        Assert.IsTrue(stored.Items.All(i => i.CallerId == "app:batcher"));
        var asked = s_authorizer.SeenFor(batcher.StableId).ToList();
        Assert.AreEqual(2, asked.Count, "Asked once per distinct key, not once per item.");
        Assert.IsTrue(asked.All(r => r.Operation == KeyInfraOperation.Verify && r.Key is not null));
    }

    [TestMethod]
    public async Task KeyStoreOperations_CallerDeniedEach_EachThrowsAccessDeniedAndNothingChanges()
    {
        var ring = "guarded-" + Guid.NewGuid().ToString("N");
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "guarded") { RingName = ring });
        var pem = await Keys.ExportPublicKeyAsync(key.Id, KeyFormat.Pem);
        var auditor = Caller.ForUser("auditor-keys");
        (KeyInfraOperation Operation, KeyId? KeyId, Func<Task> Call)[] calls =
        [
            (KeyInfraOperation.CreateKey, null, () => Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "guarded") { RingName = ring })),
            (KeyInfraOperation.ImportKey, null, () => Keys.ImportAsync(new ImportKeyRequest("guarded", pem, KeyFormat.Pem) { RingName = ring })),
            (KeyInfraOperation.GetKey, key.Id, () => Keys.GetAsync(key.Id)),
            (KeyInfraOperation.ListKeys, null, () => Keys.ListAsync(new KeyQuery { RingName = ring })),
            (KeyInfraOperation.RotateKey, key.Id, () => Keys.RotateAsync(ring)),
            (KeyInfraOperation.RevokeKey, key.Id, () => Keys.RevokeAsync(key.Id, RevocationReason.KeyCompromise)),
            (KeyInfraOperation.ExpireKey, key.Id, () => Keys.ExpireAsync(key.Id)),
            (KeyInfraOperation.DeleteKey, key.Id, () => Keys.DeleteAsync(key.Id)),
            (KeyInfraOperation.ExportPublicKey, key.Id, () => Keys.ExportPublicKeyAsync(key.Id, KeyFormat.Der)),
        ];
        foreach (var (operation, _, _) in calls)
        {
            s_authorizer.Deny(auditor.StableId, operation, "read-only auditor");
        }

        using (Callers.Use(auditor))
        {
            foreach (var (operation, keyId, call) in calls)
            {
                var error = await Assert.ThrowsExactlyAsync<AccessDeniedException>(call, operation.ToString());
                Assert.AreEqual(operation, error.Operation);
                Assert.AreEqual(keyId, error.KeyId, operation.ToString());
                Assert.AreEqual(ErrorCodes.AccessDenied, error.ErrorCode);
            }
        }

        var inRing = await Keys.ListAsync(new KeyQuery { RingName = ring });
        Assert.AreEqual(key.Id, inRing.Items.Single().Id, "No key was created, imported or rotated into the ring, and none deleted.");
        Assert.AreEqual(KeyStatus.Active, inRing.Items[0].Status, "The key was neither revoked nor expired.");
        Assert.AreEqual(ring, s_authorizer.SeenFor(auditor.StableId).Single(r => r.Operation == KeyInfraOperation.RotateKey).RingName);
        Assert.AreEqual(calls.Length, s_logs.Entries.Count(e => e.EventId.Id == AccessDeniedEventId && e.Text.Contains("user:auditor-keys", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task EveryOperation_CallerAllowed_RunsAndIsAskedAboutOnce()
        => await RunEveryOperationAsync(Caller.ForUser("allowed-sync"));

    [TestMethod]
    public async Task EveryOperation_CallerAllowedByAnAuthorizerThatAnswersLater_RunsAndIsAskedAboutOnce()
    {
        s_authorizer.Asynchronous = true;
        try
        {
            await RunEveryOperationAsync(Caller.ForUser("allowed-async"));
        }
        finally
        {
            s_authorizer.Asynchronous = false;
        }
    }

    [TestMethod]
    public async Task QueryAndGetBatch_CallerDeniedReadLog_ThrowAccessDenied()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "log-reader"));
        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document));
        await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));
        var batch = await Verifier.VerifyBatchAsync([new VerificationRequest(key.Id, Document, signature.Signature)]);
        var outsider = Caller.ForApplication("outsider-log");
        s_authorizer.Deny(outsider.StableId, KeyInfraOperation.ReadLog, "no audit rights");

        using (Callers.Use(outsider))
        {
            var onQuery = await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => Log.QueryAsync(new VerificationLogQuery { KeyId = key.Id }));
            var onBatch = await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => Log.GetBatchAsync(batch.BatchId!.Value));

            Assert.AreEqual(KeyInfraOperation.ReadLog, onQuery.Operation);
            Assert.AreEqual(key.Id, onQuery.KeyId);
            Assert.AreEqual(KeyInfraOperation.ReadLog, onBatch.Operation);
            Assert.IsNull(onBatch.KeyId);
        }

        Assert.AreEqual(1, (await Log.QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items.Count, "Another caller still reads the log.");
        Assert.IsNotNull(await Log.GetBatchAsync(batch.BatchId!.Value));
    }

    [TestMethod]
    public async Task VerifyAsync_CallerSetBeforeAwaits_TheCallerFlowsToTheRecordAndIsRestoredAfterTheScope()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "flow"));
        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document));
        var outer = Caller.ForSystem("outer-flow", "Outer");
        var inner = Caller.ForUser("inner-flow", "Inner");

        VerificationResult result;
        using (Callers.Use(outer))
        {
            using (Callers.Use(inner))
            {
                await Task.Yield();
                await Task.Delay(5);
                result = await Task.Run(() => Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature)));
                Assert.AreSame(inner, Callers.Current);
            }

            Assert.AreSame(outer, Callers.Current, "Disposing the inner scope restores the outer caller.");
        }

        Assert.IsNull(Callers.Current);
        var record = (await Log.QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items.Single();
        Assert.AreEqual(result.RecordId, record.Id);
        Assert.AreEqual("Inner", record.Caller);
        Assert.AreEqual("user:inner-flow", record.CallerId);
        Assert.AreSame(inner, s_authorizer.SeenFor(inner.StableId).Single().Caller);
    }

    [TestMethod]
    public async Task VerifyAsync_TwoParallelRequestsEachWithItsCaller_EachRecordCarriesItsOwnCaller()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "parallel"));
        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document));
        var alice = Caller.ForUser("alice-parallel", "Alice");
        var bob = Caller.ForUser("bob-parallel", "Bob");
        var aliceSet = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bobSet = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Each request sets its caller, then waits until the other has set its own: both are set at the same time
        // before either verifies, so a caller leaking between them would show in the records.
        async Task<(Caller? Seen, VerificationResult Result)> RunAsAsync(Caller caller, TaskCompletionSource mine, Task other)
        {
            using (Callers.Use(caller))
            {
                mine.SetResult();
                await other;
                var result = await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));
                return (Callers.Current, result);
            }
        }

        var aliceRun = Task.Run(() => RunAsAsync(alice, aliceSet, bobSet.Task));
        var bobRun = Task.Run(() => RunAsAsync(bob, bobSet, aliceSet.Task));
        var (aliceSeen, aliceResult) = await aliceRun;
        var (bobSeen, bobResult) = await bobRun;

        Assert.AreSame(alice, aliceSeen);
        Assert.AreSame(bob, bobSeen);
        Assert.IsNull(Callers.Current, "Neither request's caller leaked into the test's own flow.");
        var records = (await Log.QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items.ToDictionary(r => r.Id);
        Assert.AreEqual("Alice", records[aliceResult.RecordId!.Value].Caller);
        Assert.AreEqual("Bob", records[bobResult.RecordId!.Value].Caller);
        Assert.AreEqual("user:alice-parallel", records[aliceResult.RecordId!.Value].CallerId);
        Assert.AreEqual("user:bob-parallel", records[bobResult.RecordId!.Value].CallerId);
        Assert.AreSame(alice, s_authorizer.SeenFor(alice.StableId).Single().Caller);
        Assert.AreSame(bob, s_authorizer.SeenFor(bob.StableId).Single().Caller);
    }

    [TestMethod]
    public async Task Verify_RequestNamesACaller_TheRequestsCallerOverridesTheDisplayName()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "override"));
        var signature = await Signer.SignAsync(new SignRequest(key.Id, Document));
        var context = Caller.ForApplication("override", "From the context");
        var request = new VerificationRequest(key.Id, Document, signature.Signature);

        VerificationResult named, unnamed;
        BatchVerificationResult namedBatch, unnamedBatch;
        using (Callers.Use(context))
        {
            named = await Verifier.VerifyAsync(request with { Caller = "From the request" });
            unnamed = await Verifier.VerifyAsync(request);
            namedBatch = await Verifier.VerifyBatchAsync([request], caller: "From the batch");
            unnamedBatch = await Verifier.VerifyBatchAsync([request]);
        }

        var anonymous = await Verifier.VerifyAsync(request);

        var records = (await Log.QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items.ToDictionary(r => r.Id);
        Assert.AreEqual("From the request", records[named.RecordId!.Value].Caller);
        Assert.AreEqual("From the context", records[unnamed.RecordId!.Value].Caller);
        Assert.AreEqual("app:override", records[named.RecordId!.Value].CallerId, "The stable id is recorded whatever the free text says.");
        Assert.AreEqual("app:override", records[unnamed.RecordId!.Value].CallerId);
        Assert.IsNull(records[anonymous.RecordId!.Value].Caller);
        Assert.IsNull(records[anonymous.RecordId!.Value].CallerId, "No caller set, none recorded.");
        var storedNamedBatch = await Log.GetBatchAsync(namedBatch.BatchId!.Value);
        var storedUnnamedBatch = await Log.GetBatchAsync(unnamedBatch.BatchId!.Value);
        Assert.AreEqual("From the batch", storedNamedBatch!.Caller);
        Assert.AreEqual("From the context", storedUnnamedBatch!.Caller);
        Assert.AreEqual("app:override", storedNamedBatch.CallerId);
        Assert.AreEqual("app:override", storedUnnamedBatch.CallerId);
    }

    [TestMethod]
    public async Task VerifyAsync_DeniedWithTheLogOff_ReturnsAccessDeniedAndRecordsNothing()
    {
        var authorizer = new RuleAuthorizer();
        await using var host = await KeyInfraTestHost.StartAsync(
            options: o => o.VerificationLog.Mode = LogMode.Off,
            services: s => s.Replace(ServiceDescriptor.Singleton<IKeyInfraAuthorizer>(authorizer)));
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "off"));
            var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
            var caller = Caller.ForUser("off");
            authorizer.DenyKey(caller.StableId, key.Id, "not this key");

            VerificationResult denied, allowed;
            using (host.Get<AsyncLocalCallerContext>().Use(caller))
            {
                denied = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));
            }

            allowed = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));

            Assert.AreEqual(VerificationStatus.AccessDenied, denied.Status);
            Assert.IsNull(denied.RecordId);
            Assert.AreEqual(VerificationStatus.Valid, allowed.Status);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public void IVerificationLog_PublicSurface_ReadsAndFlushesButCannotAppend()
    {
        var methods = typeof(IVerificationLog).GetMethods().Select(m => m.Name).Order(StringComparer.Ordinal).ToArray();

        CollectionAssert.AreEqual(new[] { "FlushAsync", "GetBatchAsync", "QueryAsync" }, methods);
        Assert.IsFalse(typeof(IVerificationLog).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == typeof(IVerificationLog).Namespace)
            .SelectMany(t => t.GetMethods())
            .Any(m => m.Name.StartsWith("Append", StringComparison.Ordinal)), "No public type of the verification namespace appends.");
    }

    // Runs every operation as an allowed caller and checks the authorizer was asked about each once, with the key
    // id (and, for sign and verify, the key) or ring it names.
    private static async Task RunEveryOperationAsync(Caller caller)
    {
        var ring = "allowed-" + Guid.NewGuid().ToString("N");
        using (Callers.Use(caller))
        {
            var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "allowed") { RingName = ring });
            var pem = await Keys.ExportPublicKeyAsync(key.Id, KeyFormat.Pem);
            var imported = await Keys.ImportAsync(new ImportKeyRequest("allowed-import", pem, KeyFormat.Pem));
            Assert.IsNotNull(await Keys.GetAsync(key.Id));
            Assert.AreEqual(1, (await Keys.ListAsync(new KeyQuery { RingName = ring })).Items.Count);
            var rotated = await Keys.RotateAsync(ring);
            var signature = await Signer.SignAsync(new SignRequest(key.Id, Document));
            Assert.IsTrue((await Verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature))).IsValid);
            Assert.AreEqual(1, (await Log.QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items.Count);
            Assert.AreEqual(KeyStatus.Expired, (await Keys.ExpireAsync(rotated.Id)).Status);
            Assert.AreEqual(KeyStatus.Revoked, (await Keys.RevokeAsync(key.Id, RevocationReason.Superseded)).Status);
            Assert.IsTrue(await Keys.DeleteAsync(imported.Id));

            var asked = s_authorizer.SeenFor(caller.StableId).ToList();
            KeyInfraOperation[] expected =
            [
                KeyInfraOperation.CreateKey, KeyInfraOperation.ExportPublicKey, KeyInfraOperation.ImportKey, KeyInfraOperation.GetKey,
                KeyInfraOperation.ListKeys, KeyInfraOperation.RotateKey, KeyInfraOperation.Sign, KeyInfraOperation.Verify,
                KeyInfraOperation.ReadLog, KeyInfraOperation.ExpireKey, KeyInfraOperation.RevokeKey, KeyInfraOperation.DeleteKey,
            ];
            CollectionAssert.AreEqual(expected, asked.Select(r => r.Operation).ToArray());
            Assert.AreEqual(ring, asked[0].RingName);
            Assert.AreEqual(ring, asked[5].RingName);
            Assert.AreEqual(key.Id, asked[6].Key?.Id);
            Assert.AreEqual(key.Id, asked[7].Key?.Id);
            Assert.AreEqual(key.Id, asked[8].KeyId);
            Assert.AreEqual(imported.Id, asked[11].KeyId);
            Assert.IsTrue(asked.All(r => r.TenantId == key.TenantId && ReferenceEquals(r.Caller, caller)));
        }
    }
}
