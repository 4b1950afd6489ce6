using System.Text;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Verification;

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
    public async Task ImportAsync_Jwk_ThrowsArgumentException()
    {
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.ImportAsync(new ImportKeyRequest("jwk", Encoding.UTF8.GetBytes("{}"), KeyFormat.Jwk)));
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
