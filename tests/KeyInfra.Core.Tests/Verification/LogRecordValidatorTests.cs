using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Verification;

namespace KeyInfra.Core.Tests.Verification;

[TestClass]
public sealed class LogRecordValidatorTests
{
    private static readonly Guid s_tenant = Guid.NewGuid();

    [TestMethod]
    public void Validate_WellFormedRecordAndBatch_Passes()
    {
        LogRecordValidator.Validate(Record(), "record");
        LogRecordValidator.Validate(Batch(Record(), Record() with { Detail = "PSS expected" }), "batch");
    }

    [TestMethod]
    [DataRow(31, 32)]
    [DataRow(32, 0)]
    [DataRow(33, 32)]
    public void Validate_HashOfWrongLength_Throws(int documentLength, int signatureLength)
    {
        var record = Record() with { DocumentSha256 = new byte[documentLength], SignatureSha256 = new byte[signatureLength] };

        var error = Assert.ThrowsExactly<ArgumentException>(() => LogRecordValidator.Validate(record, "record"));

        StringAssert.Contains(error.Message, "32-byte SHA-256");
    }

    [TestMethod]
    public void Validate_TextWithNulOrTooLong_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => LogRecordValidator.Validate(Record() with { Caller = "a\0b" }, "record"));
        Assert.ThrowsExactly<ArgumentException>(() => LogRecordValidator.Validate(Record() with { CallerId = new string('x', 201) }, "record"));
        Assert.ThrowsExactly<ArgumentException>(() => LogRecordValidator.Validate(Record() with { Detail = "\0" }, "record"));
        Assert.ThrowsExactly<ArgumentException>(() => LogRecordValidator.Validate(Record() with { Algorithm = new string('a', 33) }, "record"));
        Assert.ThrowsExactly<ArgumentException>(() => LogRecordValidator.Validate(Batch(Record()) with { Caller = "\0" }, "batch"));
    }

    [TestMethod]
    public void Validate_BatchItemOfAnotherTenantOrMalformed_Throws()
    {
        var otherTenant = Assert.ThrowsExactly<ArgumentException>(() => LogRecordValidator.Validate(Batch(Record(), Record() with { TenantId = Guid.NewGuid() }), "batch"));
        Assert.ThrowsExactly<ArgumentException>(() => LogRecordValidator.Validate(Batch(Record() with { SignatureSha256 = [] }), "batch"));

        StringAssert.Contains(otherTenant.Message, "Item 1");
    }

    private static VerificationRecord Record() => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = s_tenant,
        RequestedKeyId = KeyId.New(),
        KeyExists = true,
        Algorithm = KeySpec.EcdsaP256.Name,
        Status = VerificationStatus.Valid,
        DocumentSha256 = SHA256.HashData("document"u8),
        SignatureSha256 = SHA256.HashData("signature"u8),
        VerifiedAt = DateTimeOffset.UtcNow,
        Caller = "tests",
    };

    private static BatchVerificationRecord Batch(params VerificationRecord[] items) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = s_tenant,
        StartedAt = DateTimeOffset.UtcNow,
        CompletedAt = DateTimeOffset.UtcNow,
        Items = items,
    };
}
