using KeyInfra.Keys;
using KeyInfra.Verification;

namespace KeyInfra.Sample.Output;

/// <summary>A verification log entry as the CLI prints it. The log holds hashes, never documents.</summary>
internal sealed record VerificationRecordView(
    Guid Id,
    DateTimeOffset VerifiedAt,
    KeyId KeyId,
    bool KeyExists,
    string? Algorithm,
    VerificationStatus Status,
    string DocumentSha256,
    string SignatureSha256,
    string? Caller,
    string? CallerId)
{
    public static VerificationRecordView From(VerificationRecord record) => new(
        record.Id,
        record.VerifiedAt,
        record.RequestedKeyId,
        record.KeyExists,
        record.Algorithm,
        record.Status,
        Convert.ToHexStringLower(record.DocumentSha256),
        Convert.ToHexStringLower(record.SignatureSha256),
        record.Caller,
        record.CallerId);

    public static TableWriter Table(IEnumerable<VerificationRecord> records)
    {
        var table = new TableWriter("TIME", "KEY", "TYPE", "STATUS", "DOCUMENT SHA-256", "CALLER");
        foreach (var record in records)
        {
            table.AddRow(Formats.Time(record.VerifiedAt), record.RequestedKeyId.ToString(), record.Algorithm,
                record.Status.ToString(), Formats.HashPrefix(record.DocumentSha256) + "…", record.Caller);
        }

        return table;
    }
}
