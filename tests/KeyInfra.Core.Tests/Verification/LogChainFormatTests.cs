using KeyInfra.Encryption;
using KeyInfra.Keys;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;

namespace KeyInfra.Core.Tests.Verification;

[TestClass]
public sealed class LogChainFormatTests
{
    // Expected values computed from docs/security/log-chain.md's byte layout by an independent script (Python's
    // hashlib and hmac, HKDF per RFC 5869): a change to the encoding breaks every stored chain, and this test.
    private const string ExpectedManifest =
        "010193a6f27c1e7d3a9b2f5e4c3d2b1a09000647484620407bc11199e43009cd045aca9fd4a7f690028f802eb3c525f7dfdd31cb6adf57d8c4";

    private const string ExpectedDigest = "957bded616c25fdfe3721159bc1dbe38047872b23d09ac2ad243a381e4549f7d";

    private static readonly DateTimeOffset s_verifiedAt = LogChainFormat.FromMicroseconds(1767225600_000123);

    [TestMethod]
    public void AppendRecord_SpecRecord_ManifestEntryMatchesKnownAnswer()
    {
        var manifest = new LogChainFormat.ManifestBuilder(1);

        LogChainFormat.AppendRecord(manifest, Record());

        Assert.AreEqual(ExpectedManifest, Convert.ToHexStringLower(manifest.ToArray()));
    }

    [TestMethod]
    public void ComputeDigest_SpecGroup_MatchesKnownAnswer()
    {
        using var masterKey = new MasterKey(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), "kat-key");

        var digest = LogChainFormat.ComputeDigest(masterKey, Guid.Parse("0193a6f2-1111-7000-8000-000000000003"), Record().TenantId, 7,
            s_verifiedAt.AddTicks(5 * TimeSpan.TicksPerMicrosecond), s_verifiedAt, 1, Convert.FromHexString(ExpectedManifest), Enumerable.Repeat((byte)0x11, 32).ToArray());

        Assert.AreEqual(ExpectedDigest, Convert.ToHexStringLower(digest));
    }

    [TestMethod]
    public void HashStored_RecordAsStored_HashesLikeTheWriter()
    {
        var record = Record();
        var stored = new StoredLogEntry
        {
            Kind = LogEntryKind.Record,
            Id = record.Id,
            TenantId = record.TenantId,
            KeyId = record.RequestedKeyId.Value,
            RequestedKeyId = record.RequestedKeyId.Value,
            Algorithm = record.Algorithm,
            Result = "invalid_signature",
            DocumentSha256 = record.DocumentSha256,
            SignatureSha256 = record.SignatureSha256,
            Time = record.VerifiedAt,
            Caller = record.Caller,
            CallerId = record.CallerId,
            Detail = record.Detail,
        };

        var hash = LogChainFormat.HashStored(stored);

        Assert.AreEqual(ExpectedManifest[50..], Convert.ToHexStringLower(hash));
    }

    private static VerificationRecord Record() => new()
    {
        Id = Guid.Parse("0193a6f2-7c1e-7d3a-9b2f-5e4c3d2b1a09"),
        TenantId = Guid.Parse("00000000-0000-0000-0000-000000000001"),
        RequestedKeyId = new KeyId(Guid.Parse("0193a6f2-0000-7000-8000-000000000002")),
        KeyExists = true,
        Algorithm = "ES256",
        Status = VerificationStatus.InvalidSignature,
        DocumentSha256 = Enumerable.Repeat((byte)0xaa, 32).ToArray(),
        SignatureSha256 = Enumerable.Repeat((byte)0xbb, 32).ToArray(),
        VerifiedAt = s_verifiedAt,
        Caller = "app:billing",
        CallerId = null,
        Detail = "Ä detail",
    };
}
