using System.Buffers.Binary;
using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.RowAuthentication;
using KeyInfra.Storage;

namespace KeyInfra.Core.Tests.RowAuthentication;

[TestClass]
public sealed class KeyRowEncodingTests
{
    private static readonly KeyRecord Record = new()
    {
        Id = new KeyId(Guid.Parse("01930000-0000-7000-8000-000000000001")),
        TenantId = Guid.Parse("00000000-0000-0000-0000-000000000002"),
        Name = "invoices",
        Spec = KeySpec.EcdsaP256,
        PublicKeyData = [1, 2, 3],
        PublicKeyFormat = KeyFormat.Der,
        Status = KeyStatus.Active,
        CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(1),
        Metadata = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" },
        PrivateKey = new PrivateKeyRecord(PrivateKeyProtection.Envelope, [9], "mk"),
    };

    [TestMethod]
    public void Encode_Record_StartsWithLabelAndVersionThenTenantField()
    {
        var encoded = KeyRowEncoding.Encode(Record);

        CollectionAssert.AreEqual("KeyInfra key row"u8.ToArray(), encoded[..16]);
        Assert.AreEqual(KeyRowEncoding.FormatVersion, encoded[16]);
        Assert.AreEqual((ushort)KeyRowField.TenantId, BinaryPrimitives.ReadUInt16BigEndian(encoded.AsSpan(17)));
        Assert.AreEqual(16u, BinaryPrimitives.ReadUInt32BigEndian(encoded.AsSpan(19)));
        CollectionAssert.AreEqual(Record.TenantId.ToByteArray(bigEndian: true), encoded[23..39]);
    }

    [TestMethod]
    public void Encode_EveryFieldInTagOrder_EachOnce()
    {
        // Tag 24 (RequireLowS) came after format version 1 and is written only when set.
        var encoded = KeyRowEncoding.Encode(Record with { RequireLowS = true });
        var tags = new List<ushort>();
        for (var offset = 17; offset < encoded.Length;)
        {
            tags.Add(BinaryPrimitives.ReadUInt16BigEndian(encoded.AsSpan(offset)));
            offset += 6 + (int)BinaryPrimitives.ReadUInt32BigEndian(encoded.AsSpan(offset + 2));
        }

        CollectionAssert.AreEqual(Enum.GetValues<KeyRowField>().Select(f => (ushort)f).ToArray(), tags.ToArray());
    }

    [TestMethod]
    public void Encode_RequireLowSOff_FieldLeftOutSoOlderMacsStillVerify()
    {
        var off = KeyRowEncoding.Encode(Record with { RequireLowS = false });
        var on = KeyRowEncoding.Encode(Record with { RequireLowS = true });

        CollectionAssert.AreEqual(on[..off.Length], off);
        CollectionAssert.AreEqual(new byte[] { 0, 24, 0, 0, 0, 1, 1 }, on[off.Length..]);
    }

    [TestMethod]
    public void Encode_MetadataInAnyInsertionOrder_SameBytes()
    {
        var reordered = Record with { Metadata = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } };

        CollectionAssert.AreEqual(KeyRowEncoding.Encode(Record), KeyRowEncoding.Encode(reordered));
    }

    [TestMethod]
    [DynamicData(nameof(Changes))]
    public void Encode_AnyCoveredFieldChanged_DifferentBytes(string field, KeyRecord changed)
    {
        CollectionAssert.AreNotEqual(KeyRowEncoding.Encode(Record), KeyRowEncoding.Encode(changed), field);
    }

    [TestMethod]
    public void Encode_DerivedFingerprintsAndMac_NotCovered()
    {
        var withDerived = Record with { SpkiSha256 = new byte[32], JwkThumbprint = "x", RowMac = new byte[32], RowMacMasterKeyId = "mk" };

        CollectionAssert.AreEqual(KeyRowEncoding.Encode(Record), KeyRowEncoding.Encode(withDerived));
    }

    [TestMethod]
    public void Encode_UnpairedSurrogate_ArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => KeyRowEncoding.Encode(Record with { Name = "bad\uD800" }));
    }

    [TestMethod]
    public void Encode_NullAndEmptyOwner_DifferentBytes()
    {
        CollectionAssert.AreNotEqual(KeyRowEncoding.Encode(Record with { Owner = null }), KeyRowEncoding.Encode(Record with { Owner = "" }));
    }

    public static IEnumerable<object[]> Changes() =>
    [
        ["tenant", Record with { TenantId = Guid.NewGuid() }],
        ["id", Record with { Id = KeyId.New() }],
        ["spec", Record with { Spec = KeySpec.EcdsaSecp256k1 }],
        ["public key", Record with { PublicKeyData = [1, 2, 4] }],
        ["format", Record with { PublicKeyFormat = KeyFormat.Pem }],
        ["status", Record with { Status = KeyStatus.Revoked }],
        ["created", Record with { CreatedAt = Record.CreatedAt.AddTicks(10) }],
        ["expires", Record with { ExpiresAt = Record.CreatedAt }],
        ["revoked", Record with { RevokedAt = Record.CreatedAt }],
        ["reason", Record with { RevocationReason = RevocationReason.KeyCompromise }],
        ["ring", Record with { RingName = "r" }],
        ["ring version", Record with { RingVersion = 1 }],
        ["row version", Record with { Version = 2 }],
        ["encoding", Record with { DefaultSignatureEncoding = Signing.SignatureEncoding.Der }],
        ["padding", Record with { DefaultRsaPadding = Signing.RsaPadding.Pkcs1 }],
        ["salt", Record with { DefaultPssSaltLength = 0 }],
        ["name", Record with { Name = "other" }],
        ["owner", Record with { Owner = "someone" }],
        ["metadata", Record with { Metadata = new Dictionary<string, string> { ["a"] = "1" } }],
        ["metadata split", Record with { Metadata = new Dictionary<string, string> { ["a"] = "12", ["b"] = "" } }],
        ["no private key", Record with { PrivateKey = null }],
        ["backend", Record with { PrivateKey = Record.PrivateKey! with { Backend = "pkcs11" } }],
    ];
}
