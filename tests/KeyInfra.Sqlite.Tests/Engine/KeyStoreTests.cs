using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Tenancy;
using KeyInfra.Verification;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Sqlite.Tests.Engine;

[TestClass]
public sealed class KeyStoreTests
{
    private static KeyInfraTestHost s_host = null!;

    private static IKeyStore Keys => s_host.Get<IKeyStore>();

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_host = await KeyInfraTestHost.StartAsync();

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        await s_host.DisposeAsync();
        KeyInfraTestHost.DeleteFolder(s_host.Folder);
    }

    public static IEnumerable<object[]> Specs => KeySpec.All.Select(s => new object[] { s.Name });

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    public async Task CreateAsync_BlankName_ThrowsArgumentException(string name)
    {
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, name)));
    }

    [TestMethod]
    public async Task CreateAsync_NameTooLong_ThrowsArgumentException()
    {
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, new string('n', 201))));
    }

    [TestMethod]
    public async Task CreateAsync_ExpiryInThePast_ThrowsArgumentException()
    {
        var request = new CreateKeyRequest(KeySpec.EcdsaP256, "past") { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) };

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(request));
    }

    [TestMethod]
    public async Task CreateAsync_TooMuchMetadata_ThrowsArgumentException()
    {
        var metadata = Enumerable.Range(0, 65).ToDictionary(i => $"k{i}", i => "v");

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "meta") { Metadata = metadata }));
    }

    [TestMethod]
    public async Task ImportAsync_RawEd25519WithoutExpectedSpec_ImportsAndVerifies()
    {
        var source = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "ed25519 source"));
        var raw = await Keys.ExportPublicKeyAsync(source.Id, KeyFormat.Raw);
        var document = "raw Ed25519"u8.ToArray();
        var signature = await s_host.Get<Signing.ISigner>().SignAsync(new Signing.SignRequest(source.Id, document));

        var imported = await Keys.ImportAsync(new ImportKeyRequest("ed25519 raw", raw, KeyFormat.Raw));
        var stored = await Keys.GetAsync(imported.Id);
        var result = await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(imported.Id, document, signature.Signature));

        Assert.AreEqual(KeySpec.Ed25519, imported.Spec);
        Assert.IsNotNull(stored);
        Assert.AreEqual(KeySpec.Ed25519, stored.Spec);
        CollectionAssert.AreEqual(source.PublicKeySpki.ToArray(), stored.PublicKeySpki.ToArray());
        Assert.AreEqual(VerificationStatus.Valid, result.Status);
    }

    [TestMethod]
    public async Task ImportAsync_RawEcPointWithoutExpectedSpec_ThrowsRawKeyNeedsSpecAndStoresNothing()
    {
        var source = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "p256 source"));
        var raw = await Keys.ExportPublicKeyAsync(source.Id, KeyFormat.Raw);
        var before = await CountAsync();

        var ex = await Assert.ThrowsExactlyAsync<KeyFormatException>(() => Keys.ImportAsync(new ImportKeyRequest("p256 raw", raw, KeyFormat.Raw)));

        Assert.AreEqual(ErrorCodes.RawKeyNeedsSpec, ex.ErrorCode);
        Assert.AreEqual(before, await CountAsync());
    }

    [TestMethod]
    public async Task CreateAsync_PssSaltTooLongForKey_ThrowsArgumentExceptionAndStoresNothing()
    {
        var before = await CountAsync();

        // rsa-2048 with SHA-256 fits at most 256 − 32 − 2 = 222 salt bytes.
        var ex = await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.Rsa2048, "salt") { PssSaltLength = 223 }));

        StringAssert.Contains(ex.Message, "0 to 222 bytes");
        Assert.AreEqual(before, await CountAsync());
    }

    [TestMethod]
    public async Task SignAsync_PssSaltPerRequest_SignsAndVerifiesWithThatSalt()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Rsa3072, "salt per request"));
        var document = "salted"u8.ToArray();
        var options = new Signing.SignatureOptions { PssSaltLength = 0 };

        var signature = await s_host.Get<Signing.ISigner>().SignAsync(new Signing.SignRequest(key.Id, document) { Options = options });
        var withSalt = await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, document, signature.Signature) { Options = options });
        var withDefault = await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, document, signature.Signature));

        Assert.AreEqual(0, signature.PssSaltLength);
        Assert.AreEqual(VerificationStatus.Valid, withSalt.Status);
        Assert.AreEqual(VerificationStatus.InvalidSignature, withDefault.Status);
    }

    [TestMethod]
    public async Task ImportAsync_MalformedPem_ThrowsKeyFormatExceptionAndStoresNothing()
    {
        var before = await CountAsync();
        var request = ImportKeyRequest.FromPem("bad", "-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n");

        var ex = await Assert.ThrowsExactlyAsync<KeyFormatException>(() => Keys.ImportAsync(request));

        Assert.AreEqual(ErrorCodes.MalformedPem, ex.ErrorCode);
        Assert.AreEqual(before, await CountAsync());
    }

    [TestMethod]
    public async Task ImportAsync_CurveMismatch_ThrowsKeyFormatException()
    {
        var source = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "p256"));
        var der = await Keys.ExportPublicKeyAsync(source.Id, KeyFormat.Der);

        var ex = await Assert.ThrowsExactlyAsync<KeyFormatException>(() =>
            Keys.ImportAsync(new ImportKeyRequest("mismatch", der, KeyFormat.Der) { ExpectedSpec = KeySpec.EcdsaP384 }));

        Assert.AreEqual(ErrorCodes.KeySpecMismatch, ex.ErrorCode);
    }

    [TestMethod]
    [DataRow(KeyFormat.Jwk)]
    [DataRow((KeyFormat)0)]
    [DataRow((KeyFormat)99)]
    public async Task ImportAsync_JwkOrUndefinedFormat_ThrowsUnsupportedKeyFormatAndStoresNothing(KeyFormat format)
    {
        var before = await CountAsync();

        var ex = await Assert.ThrowsExactlyAsync<KeyFormatException>(() => Keys.ImportAsync(new ImportKeyRequest("jwk", Encoding.UTF8.GetBytes("{}"), format)));

        Assert.AreEqual(ErrorCodes.UnsupportedKeyFormat, ex.ErrorCode);
        Assert.AreEqual(before, await CountAsync());
    }

    [TestMethod]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        Assert.IsNull(await Keys.GetAsync(KeyId.New()));
    }

    [TestMethod]
    public async Task ListAsync_PagesThroughRing_EveryKeyOnceInIdOrder()
    {
        var ring = $"list-{Guid.NewGuid():N}";
        var created = new List<KeyId>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, $"k{i}") { RingName = ring })).Id);
        }

        var seen = new List<KeyId>();
        KeyId? cursor = null;
        var pages = 0;
        do
        {
            var page = await Keys.ListAsync(new KeyQuery { RingName = ring, PageSize = 3, After = cursor });
            seen.AddRange(page.Items.Select(k => k.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.AreEqual(3, pages);
        CollectionAssert.AreEqual(created.OrderBy(id => id.Value).ToList(), seen);
    }

    [TestMethod]
    public async Task ListAsync_StatusFilter_ReturnsOnlyThatStatus()
    {
        var owner = $"owner-{Guid.NewGuid():N}";
        var active = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "a") { Owner = owner });
        var revoked = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "r") { Owner = owner });
        await Keys.RevokeAsync(revoked.Id, RevocationReason.KeyCompromise);

        var page = await Keys.ListAsync(new KeyQuery { Owner = owner, Status = KeyStatus.Revoked });

        Assert.AreEqual(1, page.Items.Count);
        Assert.AreEqual(revoked.Id, page.Items[0].Id);
        Assert.IsNull(page.NextCursor);
        Assert.AreNotEqual(active.Id, page.Items[0].Id);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(1001)]
    public async Task ListAsync_BadPageSize_Throws(int pageSize)
    {
        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => Keys.ListAsync(new KeyQuery { PageSize = pageSize }));
    }

    [TestMethod]
    public async Task RevokeAsync_UnknownKey_ThrowsUnknownKeyException()
    {
        var ex = await Assert.ThrowsExactlyAsync<UnknownKeyException>(() => Keys.RevokeAsync(KeyId.New(), RevocationReason.Unspecified));

        Assert.AreEqual(ErrorCodes.KeyNotFound, ex.ErrorCode);
    }

    [TestMethod]
    public async Task RotateAsync_UnknownRing_ThrowsUnknownKeyException()
    {
        var ex = await Assert.ThrowsExactlyAsync<UnknownKeyException>(() => Keys.RotateAsync("no-such-ring"));

        Assert.AreEqual(ErrorCodes.KeyRingNotFound, ex.ErrorCode);
    }

    [TestMethod]
    public async Task CreateAsync_RingOfAnotherSpec_ThrowsArgumentException()
    {
        var ring = $"mixed-{Guid.NewGuid():N}";
        await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "p256") { RingName = ring });

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "ed") { RingName = ring }));
    }

    [TestMethod]
    public async Task ExportPublicKeyAsync_RsaRaw_ThrowsNotSupported()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Rsa2048, "rsa"));

        await Assert.ThrowsExactlyAsync<NotSupportedException>(() => Keys.ExportPublicKeyAsync(key.Id, KeyFormat.Raw));
    }

    [TestMethod]
    public async Task ExportPublicKeyAsync_Pem_IsPublicKeyBlock()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "pem"));

        var pem = Encoding.UTF8.GetString(await Keys.ExportPublicKeyAsync(key.Id, KeyFormat.Pem));

        StringAssert.StartsWith(pem, "-----BEGIN PUBLIC KEY-----");
        StringAssert.Contains(pem, "-----END PUBLIC KEY-----");
    }

    [TestMethod]
    public async Task FindByPublicKeyAsync_BySpkiSha256ThumbprintOrKey_FindsEveryCopyOldestFirst()
    {
        var source = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "find source"));
        var pem = await Keys.ExportPublicKeyAsync(source.Id, KeyFormat.Pem);
        var jwk = await Keys.ExportPublicKeyAsync(source.Id, KeyFormat.Jwk);
        var copy = await Keys.ImportAsync(new ImportKeyRequest("find copy", pem, KeyFormat.Pem));
        var other = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "find other"));

        var bySha = await Keys.FindByPublicKeyAsync(PublicKeyLookup.BySpkiSha256(SHA256.HashData(source.PublicKeySpki.Span)));
        var byThumbprint = await Keys.FindByPublicKeyAsync(PublicKeyLookup.ByJwkThumbprint(Base64Url.EncodeToString(SHA256.HashData(jwk))));
        var byKey = await Keys.FindByPublicKeyAsync(PublicKeyLookup.ForPublicKey(pem, KeyFormat.Pem));
        var none = await Keys.FindByPublicKeyAsync(PublicKeyLookup.BySpkiSha256(new byte[32]));

        CollectionAssert.AreEqual(new[] { source.Id, copy.Id }, bySha.Select(k => k.Id).ToArray());
        CollectionAssert.AreEqual(new[] { source.Id, copy.Id }, byThumbprint.Select(k => k.Id).ToArray());
        CollectionAssert.AreEqual(new[] { source.Id, copy.Id }, byKey.Select(k => k.Id).ToArray());
        Assert.IsFalse(bySha.Any(k => k.Id == other.Id));
        Assert.AreEqual(0, none.Count);
    }

    [TestMethod]
    public async Task ImportAsync_ReturnExistingForKeyAlreadyHeld_ReturnsItAndAddsNothing()
    {
        var source = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "existing source"));
        var der = await Keys.ExportPublicKeyAsync(source.Id, KeyFormat.Der);
        var raw = await Keys.ExportPublicKeyAsync(source.Id, KeyFormat.Raw);
        var before = await CountAsync();

        var again = await Keys.ImportAsync(new ImportKeyRequest("again", der, KeyFormat.Der) { ReturnExisting = true });
        var asRaw = await Keys.ImportAsync(new ImportKeyRequest("again raw", raw, KeyFormat.Raw) { ReturnExisting = true });

        Assert.AreEqual(source.Id, again.Id);
        Assert.AreEqual("existing source", again.Name);
        Assert.AreEqual(source.Id, asRaw.Id);
        Assert.AreEqual(before, await CountAsync());
    }

    [TestMethod]
    public async Task ImportAsync_ReturnExistingForNewKeyOrWithoutOption_AddsAKey()
    {
        var source = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP384, "new source"));
        var der = await Keys.ExportPublicKeyAsync(source.Id, KeyFormat.Der);
        var fresh = await Keys.ExportPublicKeyAsync((await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "fresh"))).Id, KeyFormat.Der);
        await Keys.DeleteAsync((await Keys.FindByPublicKeyAsync(PublicKeyLookup.ForPublicKey(fresh, KeyFormat.Der))).Single().Id);

        var duplicate = await Keys.ImportAsync(new ImportKeyRequest("duplicate", der, KeyFormat.Der));
        var added = await Keys.ImportAsync(new ImportKeyRequest("added", fresh, KeyFormat.Der) { ReturnExisting = true });

        Assert.AreNotEqual(source.Id, duplicate.Id);
        Assert.AreEqual("added", added.Name);
        Assert.AreEqual(1, (await Keys.FindByPublicKeyAsync(PublicKeyLookup.ForPublicKey(fresh, KeyFormat.Der))).Count);
    }

    [TestMethod]
    public async Task FindByPublicKeyAsync_StoredFingerprintAltered_ThrowsStoredDataInvalid()
    {
        // A row whose thumbprint was set to another key's must not be returned as that key.
        var victim = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "victim"));
        var forged = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "forged"));
        var jwk = await Keys.ExportPublicKeyAsync(victim.Id, KeyFormat.Jwk);
        var thumbprint = Base64Url.EncodeToString(SHA256.HashData(jwk));
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={s_host.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE public_keys SET jwk_thumbprint = $t WHERE name = 'forged'";
            command.Parameters.AddWithValue("$t", thumbprint);
            Assert.AreEqual(1, await command.ExecuteNonQueryAsync());
        }

        var ex = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => Keys.FindByPublicKeyAsync(PublicKeyLookup.ByJwkThumbprint(thumbprint)));

        Assert.AreEqual(ErrorCodes.StoredDataInvalid, ex.ErrorCode);
        StringAssert.Contains(ex.Message, forged.Id.ToString());
    }

    [TestMethod]
    public async Task FindByPublicKeyAsync_KeyOfAnotherTenant_NotFound()
    {
        var tenant = new SwitchableTenant { Current = Guid.NewGuid() };
        var host = await KeyInfraTestHost.StartAsync(services: s => s.AddSingleton<ITenantContext>(tenant));
        try
        {
            var keys = host.Get<IKeyStore>();
            var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "tenant a"));
            var lookup = PublicKeyLookup.BySpkiSha256(SHA256.HashData(key.PublicKeySpki.Span));
            var der = key.PublicKeySpki.ToArray();

            tenant.Current = Guid.NewGuid();
            var found = await keys.FindByPublicKeyAsync(lookup);
            var imported = await keys.ImportAsync(new ImportKeyRequest("tenant b", der, KeyFormat.Der) { ReturnExisting = true });

            Assert.AreEqual(0, found.Count);
            Assert.AreNotEqual(key.Id, imported.Id);
            Assert.AreEqual(tenant.Current, imported.TenantId);
        }
        finally
        {
            await host.DisposeAsync();
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task CreateAsync_PssSaltLength_StoredAndUsedByDefault()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Rsa2048, "salt 0") { PssSaltLength = 0 });
        var document = "salt by default"u8.ToArray();

        var stored = await Keys.GetAsync(key.Id);
        var signature = await s_host.Get<Signing.ISigner>().SignAsync(new Signing.SignRequest(key.Id, document));
        var byDefault = await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, document, signature.Signature));
        var withHashLengthSalt = await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, document, signature.Signature)
        {
            Options = new Signing.SignatureOptions { PssSaltLength = 32 },
        });

        Assert.AreEqual(0, key.DefaultPssSaltLength);
        Assert.AreEqual(0, stored!.DefaultPssSaltLength);
        Assert.AreEqual(0, signature.PssSaltLength);
        Assert.AreEqual(VerificationStatus.Valid, byDefault.Status);
        Assert.AreEqual(VerificationStatus.InvalidSignature, withHashLengthSalt.Status);
    }

    [TestMethod]
    public async Task RotateAsync_RingWithPssSaltLength_NewVersionKeepsIt()
    {
        await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Rsa2048, "salted ring") { RingName = "salted-ring", PssSaltLength = 20 });

        var rotated = await Keys.RotateAsync("salted-ring");

        Assert.AreEqual(20, rotated.DefaultPssSaltLength);
        Assert.AreEqual(20, (await Keys.GetAsync(rotated.Id))!.DefaultPssSaltLength);
    }

    [TestMethod]
    public async Task VerifyAsync_RefusedSignature_DetailRecordedInTheLog()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "detail"));
        var document = "detail"u8.ToArray();
        var der = await s_host.Get<Signing.ISigner>().SignAsync(new Signing.SignRequest(key.Id, document)
        {
            Options = new Signing.SignatureOptions { Encoding = Signing.SignatureEncoding.Der },
        });

        var result = await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, document, der.Signature));
        var record = (await s_host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = key.Id })).Items.Single();

        Assert.AreEqual(VerificationStatus.MalformedSignature, result.Status);
        Assert.IsNotNull(result.Detail);
        StringAssert.Contains(result.Detail, "parse as DER");
        Assert.AreEqual(result.Detail, record.Detail);
    }

    [TestMethod]
    public async Task RotateAsync_ConcurrentRotationsTakingTheSameVersion_RetriedAndNothingLoggedAtError()
    {
        var capture = new LogCapture();
        GatedKeyRepository gated = null!;
        var host = await KeyInfraTestHost.StartAsync(services: s =>
        {
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(capture));
            GatedKeyRepository.Register(s, r => gated = r);
        });
        try
        {
            var keys = host.Get<IKeyStore>();
            await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "race") { RingName = "race" });
            gated.HoldNextAdds(2);
            capture.Clear();

            // Both read version 1 as the newest, both insert version 2 together: one is refused and retries as 3.
            var rotated = await Task.WhenAll(keys.RotateAsync("race"), keys.RotateAsync("race"));

            CollectionAssert.AreEquivalent(new int?[] { 2, 3 }, rotated.Select(k => k.RingVersion).ToArray());
            Assert.AreEqual(1, gated.Refused, "the two rotations clashed once");
            var errors = capture.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
            Assert.AreEqual(0, errors.Count, string.Join(Environment.NewLine, errors.Select(e => $"{e.Category} {e.EventId}: {e.Text}")));
            Assert.IsTrue(capture.Entries.Any(e => e.EventId.Id == 3011 && e.Level == LogLevel.Debug), "the handled failure is still visible at Debug");
        }
        finally
        {
            await host.DisposeAsync();
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task AddAsync_FailureKeyInfraDoesNotHandle_LoggedAtErrorOnce()
    {
        var capture = new LogCapture();
        var host = await KeyInfraTestHost.StartAsync(services: s => s.AddLogging(b => b.AddProvider(capture)));
        try
        {
            var repository = host.Get<IKeyRepository>();
            var record = TestData.Key(Guid.NewGuid());
            await repository.AddAsync(record);
            capture.Clear();

            await Assert.ThrowsExactlyAsync<Microsoft.EntityFrameworkCore.DbUpdateException>(() => repository.AddAsync(record with { Name = "same id" }));

            var errors = capture.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
            Assert.AreEqual(1, errors.Count, string.Join(Environment.NewLine, errors.Select(e => $"{e.Category} {e.EventId}: {e.Text}")));
            Assert.AreEqual(3010, errors[0].EventId.Id);
            Assert.IsFalse(errors[0].Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        }
        finally
        {
            await host.DisposeAsync();
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    private sealed class SwitchableTenant : ITenantContext
    {
        public Guid Current { get; set; }

        public Guid TenantId => Current;
    }

    private static async Task<int> CountAsync()
    {
        var count = 0;
        KeyId? cursor = null;
        do
        {
            var page = await Keys.ListAsync(new KeyQuery { PageSize = 1000, After = cursor });
            count += page.Items.Count;
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return count;
    }
}
