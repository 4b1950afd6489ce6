namespace KeyInfra.Verification;

/// <summary>
/// Checks a record or batch once, in Core, before it is queued for the log writer: what reaches a storage provider is
/// well formed, so no provider repeats these checks and no malformed record can fail the group commit it would share
/// with other callers' records.
/// </summary>
internal static class LogRecordValidator
{
    private const int MaxText = 200;
    private const int MaxAlgorithm = 32;

    /// <exception cref="ArgumentException">The record is malformed.</exception>
    public static void Validate(VerificationRecord record, string paramName)
    {
        ArgumentNullException.ThrowIfNull(record, paramName);
        if (record.DocumentSha256 is not { Length: 32 } || record.SignatureSha256 is not { Length: 32 })
        {
            throw new ArgumentException($"Verification record {record.Id} must carry 32-byte SHA-256 hashes of the document and signature.", paramName);
        }

        Text(record.Algorithm, MaxAlgorithm, "algorithm", record.Id, paramName);
        Text(record.Caller, MaxText, "caller", record.Id, paramName);
        Text(record.CallerId, MaxText, "caller id", record.Id, paramName);
        Text(record.Detail, MaxText, "detail", record.Id, paramName);
    }

    /// <exception cref="ArgumentException">The batch or one of its items is malformed, or an item belongs to another tenant.</exception>
    public static void Validate(BatchVerificationRecord batch, string paramName)
    {
        ArgumentNullException.ThrowIfNull(batch, paramName);
        if (batch.Items is null)
        {
            throw new ArgumentException($"Batch {batch.Id} has no item list.", paramName);
        }

        Text(batch.Caller, MaxText, "caller", batch.Id, paramName);
        Text(batch.CallerId, MaxText, "caller id", batch.Id, paramName);
        for (var index = 0; index < batch.Items.Count; index++)
        {
            var item = batch.Items[index];
            Validate(item, paramName);
            if (item.TenantId != batch.TenantId)
            {
                // Items have no tenant column of their own: they are the batch's.
                throw new ArgumentException($"Item {index} of batch {batch.Id} belongs to another tenant than the batch.", paramName);
            }
        }
    }

    // NUL is refused everywhere: PostgreSQL cannot store it in text, and no caller name or reason needs it.
    private static void Text(string? value, int maxLength, string what, Guid id, string paramName)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            throw new ArgumentException($"The {what} of log entry {id} is over {maxLength} characters.", paramName);
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} of log entry {id} holds a NUL character (U+0000); remove it.", paramName);
        }
    }
}
