using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>SQL metacharacters, oversized values, NUL characters and invalid UUIDs, end to end on PostgreSQL.</summary>
[TestClass]
public sealed class BadInputTests
{
    private static readonly byte[] s_document = "bad input document"u8.ToArray();
    private static PostgreSqlTestDatabase s_database = null!;
    private static PostgreSqlTestHost s_host = null!;

    private static IKeyStore Keys => s_host.Get<IKeyStore>();

    public static IEnumerable<object[]> Metacharacters =>
    [
        ["'; DROP TABLE public_keys; --"],
        ["Robert'); DELETE FROM verification_records WHERE ('1'='1"],
        ["\" OR \"1\"=\"1"],
        ["$$; SELECT pg_sleep(30); $$"],
        ["$1 $2 @p0 :name ?"],
        ["\\x00\\' E'\\\\' \\\\"],
        ["%_*[]^ LIKE '%'"],
        ["{\"json\": [1, 2], \"nested\": {\"a\": null}}"],
        ["ключ 🔑 鍵 \u200b\u202e"],
        ["line1\nline2\r\n\ttab"],
        ["/* comment */ -- comment"],
    ];

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        s_database = await PostgreSqlTestDatabase.CreateAsync();
        s_host = await PostgreSqlTestHost.StartAsync(s_database.AppConnectionString, PostgreSqlTestHost.NewMasterKey());
    }

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        await (s_host?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (s_database?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [TestMethod]
    [DynamicData(nameof(Metacharacters))]
    public async Task EveryStringField_SqlMetacharacters_StoredAndFoundVerbatim(string text)
    {
        var metadata = new Dictionary<string, string> { [text] = text, ["plain"] = text };

        var created = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, text) { Owner = text, RingName = text, Metadata = metadata });
        var rotated = await Keys.RotateAsync(text);
        var signature = await s_host.Get<ISigner>().SignAsync(new SignRequest(rotated.Id, s_document));
        var result = await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(rotated.Id, s_document, signature.Signature) { Caller = text });

        var stored = await Keys.GetAsync(created.Id);
        Assert.IsNotNull(stored);
        Assert.AreEqual(text, stored.Name);
        Assert.AreEqual(text, stored.Owner);
        Assert.AreEqual(text, stored.RingName);
        Assert.AreEqual(text, stored.Metadata[text]);
        Assert.AreEqual(text, stored.Metadata["plain"]);
        Assert.AreEqual(2, rotated.RingVersion);
        var byOwnerAndRing = await Keys.ListAsync(new KeyQuery { Owner = text, RingName = text });
        CollectionAssert.AreEquivalent(new[] { created.Id, rotated.Id }, byOwnerAndRing.Items.Select(k => k.Id).ToArray());
        Assert.AreEqual(VerificationStatus.Valid, result.Status);
        var record = (await s_host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = rotated.Id })).Items.Single();
        Assert.AreEqual(text, record.Caller);
        Assert.IsTrue(await s_database.AdminScalarAsync<bool>("SELECT to_regclass('public_keys') IS NOT NULL AND to_regclass('verification_records') IS NOT NULL"));
        Assert.AreEqual(text, await s_database.AdminScalarAsync<string>("SELECT metadata ->> 'plain' FROM public_keys WHERE id = $1", created.Id.Value));
    }

    [TestMethod]
    public async Task Create_NulCharacter_RefusedBeforeTheDatabaseAndNothingWritten()
    {
        var before = await s_database.AdminScalarAsync<long>("SELECT count(*) FROM public_keys");

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "nul\0name")));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "ok") { Owner = "\0" }));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "ok") { Metadata = new Dictionary<string, string> { ["k"] = "v\0" } }));

        Assert.AreEqual(before, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM public_keys"));
    }

    [TestMethod]
    public async Task List_NulCharacterInAFilter_FindsNothing()
    {
        var page = await Keys.ListAsync(new KeyQuery { Owner = "owner\0", RingName = "ring\0" });

        Assert.IsEmpty(page.Items);
    }

    [TestMethod]
    public async Task Verify_NulCharacterInTheCaller_RefusedBeforeItIsQueued()
    {
        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "nul caller"));
        var signature = await s_host.Get<ISigner>().SignAsync(new SignRequest(key.Id, s_document));

        var error = await Assert.ThrowsExactlyAsync<ArgumentException>(
            () => s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, s_document, signature.Signature) { Caller = "caller\0" }));
        var after = await s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, s_document, signature.Signature) { Caller = "caller" });

        StringAssert.Contains(error.Message, "NUL");
        Assert.IsTrue(after.IsValid, "The refused request must not disturb the next one's group commit.");
    }

    [TestMethod]
    public async Task Create_OversizedValues_Refused()
    {
        var long201 = new string('x', 201);

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, long201)));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "ok") { Owner = long201 }));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "ok") { RingName = long201 }));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "ok") { Metadata = new Dictionary<string, string> { ["k"] = new string('v', 1001) } }));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "ok") { Metadata = Enumerable.Range(0, 65).ToDictionary(i => $"k{i}", i => "v") }));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => s_host.Get<IVerifier>().VerifyAsync(new VerificationRequest(KeyId.New(), s_document, new byte[64]) { Caller = long201 }));
    }

    [TestMethod]
    public async Task Create_LargestAllowedValues_FitTheColumns()
    {
        var long200 = new string('é', 200);
        var metadata = Enumerable.Range(0, 64).ToDictionary(i => $"{i:D3}" + new string('k', 97), _ => new string('"', 1000));

        var key = await Keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, long200) { Owner = long200, RingName = long200, Metadata = metadata });

        var stored = await Keys.GetAsync(key.Id);
        Assert.AreEqual(long200, stored!.Name);
        Assert.HasCount(64, stored.Metadata);
        Assert.IsTrue(stored.Metadata.Values.All(v => v == new string('"', 1000)));
    }

    [TestMethod]
    [DataRow("not-a-uuid")]
    [DataRow("00000000-0000-0000-0000-00000000000g")]
    [DataRow("'; DROP TABLE public_keys; --")]
    [DataRow("")]
    public async Task KeyId_InvalidUuid_RefusedBeforeAnyQuery(string text)
    {
        Assert.IsFalse(KeyId.TryParse(text, out _));
        Assert.ThrowsExactly<FormatException>(() => KeyId.Parse(text));

        // Even raw SQL cannot smuggle text into a uuid column.
        await using var connection = new NpgsqlConnection(s_database.AppConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM public_keys WHERE id = $1::uuid", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = text });
        var error = await Assert.ThrowsExactlyAsync<PostgresException>(() => command.ExecuteScalarAsync());
        Assert.AreEqual(PostgresErrorCodes.InvalidTextRepresentation, error.SqlState);
    }

    [TestMethod]
    public async Task Get_UnknownOrEmptyUuid_IsNull()
    {
        Assert.IsNull(await Keys.GetAsync(KeyId.New()));
        Assert.IsNull(await Keys.GetAsync(new KeyId(Guid.Empty)));
        Assert.IsNull(await Keys.GetAsync(new KeyId(Guid.AllBitsSet)));
    }

    [TestMethod]
    public async Task QueryLog_CursorThatNamesNoRecord_IsRefused()
    {
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => s_host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { Before = Guid.NewGuid() }));
    }
}
