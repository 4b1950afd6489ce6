using KeyInfra.Authorization;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.PostgreSql.Notifications;
using KeyInfra.PostgreSql.Partitions;
using KeyInfra.PostgreSql.Storage;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// KeyInfra end to end on PostgreSQL, as the application role, where PostgreSQL adds to the engine contract: registration,
/// row-level security across tenants, caller ids through both log writers, shutdown flush. The contract itself is
/// <see cref="PostgreSqlEngineTests"/>.
/// </summary>
[TestClass]
public sealed class EngineTests
{
    private static readonly byte[] s_document = "engine test document"u8.ToArray();

    [TestMethod]
    public async Task Registration_EveryServiceResolvesWithScopeValidation()
    {
        var services = new ServiceCollection();
        services.AddKeyInfrastructure()
            .UsePostgreSql("Host=localhost;Database=keyinfra")
            .UseEnvironmentMasterKey(o => o.MasterKey = PostgreSqlTestHost.NewMasterKey());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        await using var scope = provider.CreateAsyncScope();
        foreach (var descriptor in services.Where(d => !d.ServiceType.IsGenericTypeDefinition))
        {
            Assert.IsNotNull(scope.ServiceProvider.GetService(descriptor.ServiceType), descriptor.ServiceType.FullName);
        }

        Assert.IsInstanceOfType<PostgreSqlKeyRepository>(provider.GetRequiredService<IKeyRepository>());
        Assert.IsInstanceOfType<PostgreSqlVerificationLogRepository>(provider.GetRequiredService<IVerificationLogRepository>());
    }

    [TestMethod]
    public void UsePostgreSql_CalledTwice_LastCallWinsAndServicesAreNotDuplicated()
    {
        var services = new ServiceCollection();
        var builder = services.AddKeyInfrastructure();

        builder.UsePostgreSql("Host=first;Database=a").UsePostgreSql("Host=second;Database=b", pg => pg.ListenForKeyChanges = false);

        using var provider = services.BuildServiceProvider();
        Assert.Contains("Host=second", provider.GetRequiredService<KeyInfra.PostgreSql.Connection.PostgreSqlConnectionSource>().ConnectionString!);
        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IKeyRepository)));
        Assert.AreEqual(1, services.Count(d => d.ImplementationType == typeof(PartitionMaintenanceService)));
        Assert.AreEqual(1, services.Count(d => d.ImplementationType == typeof(KeyChangeListenerHost)));
        Assert.IsFalse(provider.GetRequiredService<PostgreSqlStorage>().Options.ListenForKeyChanges);
    }

    [TestMethod]
    public void UsePostgreSql_HostRegisteredItsOwnTenantContext_TheirsWins()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITenantContext, TestTenantContext>();

        services.AddKeyInfrastructure().UsePostgreSql("Host=localhost");

        using var provider = services.BuildServiceProvider();
        Assert.IsInstanceOfType<TestTenantContext>(provider.GetRequiredService<ITenantContext>());
    }

    [TestMethod]
    public async Task FindByPublicKeyAndReturnExisting_UnderRowLevelSecurity_OnlyTheTenantsOwnKeys()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var host = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, PostgreSqlTestHost.NewMasterKey(), services: s => s.AddSingleton<ITenantContext, TestTenantContext>());
        var keys = host.Get<IKeyStore>();
        var tenantA = Guid.NewGuid();
        KeyInfo key;
        byte[] jwk;
        using (TestTenantContext.Use(tenantA))
        {
            key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.Rsa2048, "find me"));
            jwk = await keys.ExportPublicKeyAsync(key.Id, KeyFormat.Jwk);
        }

        var thumbprint = PublicKeyLookup.ByJwkThumbprint(System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(jwk)));
        var der = key.PublicKeySpki.ToArray();
        IReadOnlyList<KeyInfo> inA, inB;
        KeyInfo existing, addedInB;
        using (TestTenantContext.Use(tenantA))
        {
            inA = await keys.FindByPublicKeyAsync(thumbprint);
            existing = await keys.ImportAsync(new ImportKeyRequest("again", der, KeyFormat.Der) { ReturnExisting = true });
        }

        using (TestTenantContext.Use(Guid.NewGuid()))
        {
            inB = await keys.FindByPublicKeyAsync(PublicKeyLookup.ForPublicKey(der, KeyFormat.Der));
            addedInB = await keys.ImportAsync(new ImportKeyRequest("in b", der, KeyFormat.Der) { ReturnExisting = true });
        }

        Assert.AreEqual(key.Id, inA.Single().Id);
        Assert.AreEqual(key.Id, existing.Id);
        Assert.AreEqual(0, inB.Count);
        Assert.AreNotEqual(key.Id, addedInB.Id);
        Assert.AreEqual(2L, await database.AdminScalarAsync<long>("SELECT count(*) FROM public_keys WHERE spki_sha256 = $1", System.Security.Cryptography.SHA256.HashData(der)));
    }

    [TestMethod]
    public async Task Rotate_ConcurrentRotationsTakingTheSameVersion_RetriedAndNothingLoggedAtError()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var capture = new LogCapture();
        GatedKeyRepository gated = null!;
        await using var host = await PostgreSqlTestHost.StartAsync(
            database.AppConnectionString,
            PostgreSqlTestHost.NewMasterKey(),
            services: s => GatedKeyRepository.Register(s, r => gated = r),
            logging: b => b.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug).AddProvider(capture));
        var keys = host.Get<IKeyStore>();
        await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "race") { RingName = "race" });
        gated.HoldNextAdds(2);
        capture.Clear();

        // Both read version 1 as the newest, both insert version 2 together: one is refused and retries as 3.
        var rotated = await Task.WhenAll(keys.RotateAsync("race"), keys.RotateAsync("race"));

        CollectionAssert.AreEquivalent(new int?[] { 2, 3 }, rotated.Select(k => k.RingVersion).ToArray());
        Assert.AreEqual(1, gated.Refused, "the two rotations clashed once");
        var errors = capture.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error).ToList();
        Assert.AreEqual(0, errors.Count, string.Join(Environment.NewLine, errors.Select(e => $"{e.Category} {e.EventId}: {e.Text}")));
        Assert.IsTrue(capture.Entries.Any(e => e.EventId.Id == 3011), "the handled failure is still visible at Debug");
    }

    [TestMethod]
    public async Task PssSaltAndRefusalDetail_StoredAndReadBack()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var host = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, PostgreSqlTestHost.NewMasterKey());
        var keys = host.Get<IKeyStore>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.Rsa2048, "salt 0") { PssSaltLength = 0 });

        var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, s_document));
        var valid = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, s_document, signature.Signature));
        var refused = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, s_document, signature.Signature)
        {
            Options = new SignatureOptions { RsaPadding = RsaPadding.Pkcs1 },
        });
        var records = (await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items;

        Assert.AreEqual(0, (await keys.GetAsync(key.Id))!.DefaultPssSaltLength);
        Assert.AreEqual(0, signature.PssSaltLength);
        Assert.AreEqual(VerificationStatus.Valid, valid.Status);
        Assert.AreEqual(VerificationStatus.InvalidSignature, refused.Status);
        Assert.AreEqual("PKCS#1 v1.5 expected; the signature verifies as PSS (RsaPadding.Pss).", refused.Detail);
        Assert.AreEqual(refused.Detail, records.Single(r => r.Id == refused.RecordId).Detail);
        Assert.IsNull(records.Single(r => r.Id == valid.RecordId).Detail);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task Verify_CallerSetAndOneKeyDenied_CallerIdAndAccessDeniedRecorded(bool copy)
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var authorizer = new RuleAuthorizer();
        await using var host = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, PostgreSqlTestHost.NewMasterKey(),
            storage: pg => pg.LogCopyThreshold = copy ? 0 : int.MaxValue,
            services: s => s.Replace(ServiceDescriptor.Singleton<IKeyInfraAuthorizer>(authorizer)));
        var keys = host.Get<IKeyStore>();
        var allowed = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "allowed"));
        var denied = await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "denied"));
        var allowedSignature = (await host.Get<ISigner>().SignAsync(new SignRequest(allowed.Id, s_document))).Signature;
        var deniedSignature = (await host.Get<ISigner>().SignAsync(new SignRequest(denied.Id, s_document))).Signature;
        var caller = Caller.ForApplication("orders", "Order service");
        authorizer.DenyKey(caller.StableId, denied.Id, "not this key");
        var verifier = host.Get<IVerifier>();

        VerificationResult good, refused;
        BatchVerificationResult batch;
        AccessDeniedException signError;
        using (host.Get<AsyncLocalCallerContext>().Use(caller))
        {
            good = await verifier.VerifyAsync(new VerificationRequest(allowed.Id, s_document, allowedSignature));
            refused = await verifier.VerifyAsync(new VerificationRequest(denied.Id, s_document, deniedSignature));
            batch = await verifier.VerifyBatchAsync([new VerificationRequest(allowed.Id, s_document, allowedSignature), new VerificationRequest(denied.Id, s_document, deniedSignature)]);
            signError = await Assert.ThrowsExactlyAsync<AccessDeniedException>(() => host.Get<ISigner>().SignAsync(new SignRequest(denied.Id, s_document)));
        }

        Assert.AreEqual(VerificationStatus.Valid, good.Status);
        Assert.AreEqual(VerificationStatus.AccessDenied, refused.Status);
        Assert.AreEqual(ErrorCodes.AccessDenied, signError.ErrorCode);
        Assert.AreEqual("app:orders", await database.AdminScalarAsync<string>("SELECT caller_id FROM verification_records WHERE id = $1", good.RecordId!.Value));
        Assert.AreEqual("access_denied", await database.AdminScalarAsync<string>("SELECT result FROM verification_records WHERE id = $1", refused.RecordId!.Value));
        Assert.AreEqual("not this key", await database.AdminScalarAsync<string>("SELECT detail FROM verification_records WHERE id = $1", refused.RecordId!.Value));
        var record = (await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = denied.Id })).Items.Single();
        Assert.AreEqual("app:orders", record.CallerId);
        Assert.AreEqual("Order service", record.Caller);
        Assert.AreEqual(VerificationStatus.AccessDenied, record.Status);
        var storedBatch = await host.Get<IVerificationLog>().GetBatchAsync(batch.BatchId!.Value);
        Assert.IsNotNull(storedBatch);
        Assert.AreEqual("app:orders", storedBatch.CallerId);
        Assert.AreEqual("Order service", storedBatch.Caller);
        CollectionAssert.AreEqual(new[] { VerificationStatus.Valid, VerificationStatus.AccessDenied }, storedBatch.Items.Select(i => i.Status).ToArray());
        Assert.AreEqual("not this key", storedBatch.Items[1].Detail);
    }

    [TestMethod]
    public async Task Reencrypt_KeysOfSeveralTenantsUnderRowLevelSecurity_AllRewrapped()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var oldKey = PostgreSqlTestHost.NewMasterKey();
        var newKey = PostgreSqlTestHost.NewMasterKey();
        var tenants = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        await using (var before = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, oldKey, services: s => s.AddSingleton<ITenantContext, TestTenantContext>()))
        {
            foreach (var tenant in tenants)
            {
                using (TestTenantContext.Use(tenant))
                {
                    await before.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "to rewrap"));
                    await before.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "to rewrap too"));
                }
            }
        }

        var oldIds = await database.AdminScalarAsync<string[]>("SELECT array_agg(DISTINCT master_key_id) FROM private_keys");
        await using var after = await PostgreSqlTestHost.StartAsync(
            database.AppConnectionString,
            newKey,
            services: s => s.AddSingleton<ITenantContext, TestTenantContext>(),
            masterKeyOptions: o => o.PreviousMasterKeys = oldKey);

        var summary = await after.Get<IPrivateKeyReencryptor>().ReencryptAllAsync();

        var newIds = await database.AdminScalarAsync<string[]>("SELECT array_agg(DISTINCT master_key_id) FROM private_keys");
        Assert.AreEqual(6, summary.Rewrapped);
        Assert.HasCount(1, oldIds);
        Assert.HasCount(1, newIds);
        Assert.AreNotEqual(oldIds[0], newIds[0]);
        using (TestTenantContext.Use(tenants[2]))
        {
            var key = (await after.Get<IKeyStore>().ListAsync(new KeyQuery())).Items[0];
            var signature = await after.Get<ISigner>().SignAsync(new SignRequest(key.Id, s_document));
            Assert.IsTrue((await after.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, s_document, signature.Signature))).IsValid);
        }
    }

    [TestMethod]
    public async Task Host_Stopped_FlushesBufferedRecords()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var host = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, PostgreSqlTestHost.NewMasterKey(), o => o.VerificationLog.Mode = LogMode.Buffered);
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "buffered"));
        var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, s_document));
        for (var i = 0; i < 200; i++)
        {
            await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, s_document, signature.Signature));
        }

        await host.DisposeAsync();

        Assert.AreEqual(200L, await database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records"));
    }

    [TestMethod]
    public async Task ReadsWithoutPrivateKey_UnderRowLevelSecurity_NoMaterialButSayWhichKeysHaveOne()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var host = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, PostgreSqlTestHost.NewMasterKey());
        var keys = host.Get<IKeyStore>();
        var created = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "with private key"));
        using var external = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var imported = await keys.ImportAsync(new ImportKeyRequest("public only", external.ExportSubjectPublicKeyInfo(), KeyFormat.Der));
        var repository = host.Get<IKeyRepository>();

        var found = await repository.FindAsync(created.TenantId, created.Id, includePrivateKey: false);
        var listed = await repository.ListAsync(created.TenantId, new KeyQuery(), 10, includePrivateKey: false);
        var page = await keys.ListAsync(new KeyQuery());
        var revoked = await keys.RevokeAsync(created.Id, RevocationReason.Superseded);

        Assert.IsNull(found!.PrivateKey);
        Assert.IsTrue(found.HasPrivateKey);
        Assert.IsTrue(listed.All(k => k.PrivateKey is null));
        Assert.IsTrue(listed.Single(k => k.Id == created.Id).HasPrivateKey);
        Assert.IsFalse(listed.Single(k => k.Id == imported.Id).HasPrivateKey);
        Assert.IsTrue(page.Items.Single(k => k.Id == created.Id).HasPrivateKey);
        Assert.AreEqual(2L, revoked.Version);
        Assert.AreEqual(2L, (await keys.GetAsync(created.Id))!.Version);
    }
}
