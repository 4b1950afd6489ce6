using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using KeyInfra.Encryption;

namespace KeyInfra.Verification.Chain;

/// <summary>
/// The chain's byte formats, version 1 (docs/security/log-chain.md is their specification): the canonical encoding
/// of an entry, the manifest entry that names and hashes it, and the input of a group's digest.
/// </summary>
/// <remarks>
/// Every integer is big-endian; a UUID is its 16 bytes in RFC 9562 order; a time is the microseconds since
/// 1970-01-01T00:00:00Z as a signed 64-bit integer (every provider keeps at least microseconds); a text is a 32-bit
/// length and its UTF-8 bytes, or the length 0xFFFFFFFF for <c>null</c>; bytes are a 32-bit length and the bytes;
/// an optional UUID is 0x00, or 0x01 and the UUID. Stateless and thread-safe.
/// </remarks>
internal static class LogChainFormat
{
    public const int DigestSize = 32;

    /// <summary>kind (1) + id (16) + time (8) + SHA-256 of the entry's encoding (32).</summary>
    public const int ManifestEntrySize = 1 + 16 + 8 + 32;

    private static readonly byte[] s_digestLabel = "KeyInfra.LogDigest.v1"u8.ToArray();
    private static readonly byte[] s_rewrapLabel = "KeyInfra.LogDigestRewrap.v1"u8.ToArray();
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The previous digest of a chain's first group.</summary>
    public static ReadOnlySpan<byte> GenesisPrevious => new byte[DigestSize];

    public static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromMicroseconds(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);

    /// <summary>A time cut to the microsecond, as every provider stores it.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => FromMicroseconds(ToMicroseconds(time));

    /// <summary>Appends the manifest entry of a single verification record.</summary>
    public static void AppendRecord(ManifestBuilder manifest, VerificationRecord record)
    {
        var writer = manifest.Start();
        writer.Byte((byte)LogEntryKind.Record);
        writer.Uuid(record.Id);
        writer.Uuid(record.TenantId);
        writer.OptionalUuid(record.KeyExists ? record.RequestedKeyId.Value : null);
        writer.Uuid(record.RequestedKeyId.Value);
        writer.Text(record.Algorithm);
        writer.Text(LogStatusText.ToText(record.Status));
        writer.Bytes(record.DocumentSha256);
        writer.Bytes(record.SignatureSha256);
        writer.Time(record.VerifiedAt);
        writer.Text(record.Caller);
        writer.Text(record.CallerId);
        writer.Text(record.Detail);
        manifest.Finish(LogEntryKind.Record, record.Id, record.VerifiedAt);
    }

    /// <summary>Appends the manifest entries of a batch: the batch's own, then each item's in order.</summary>
    public static void AppendBatch(ManifestBuilder manifest, BatchVerificationRecord batch)
    {
        var valid = 0;
        foreach (var item in batch.Items)
        {
            valid += item.Status == VerificationStatus.Valid ? 1 : 0;
        }

        var writer = manifest.Start();
        WriteBatch(writer, batch.Id, batch.TenantId, batch.Caller, batch.CallerId, batch.StartedAt, batch.CompletedAt, batch.Items.Count, valid);
        manifest.Finish(LogEntryKind.Batch, batch.Id, batch.StartedAt);
        for (var index = 0; index < batch.Items.Count; index++)
        {
            var item = batch.Items[index];
            writer = manifest.Start();
            WriteItem(writer, item.Id, batch.Id, index, item.KeyExists ? item.RequestedKeyId.Value : null, item.RequestedKeyId.Value, item.Algorithm,
                LogStatusText.ToText(item.Status), item.DocumentSha256, item.SignatureSha256, item.VerifiedAt, item.Detail);
            manifest.Finish(LogEntryKind.BatchItem, item.Id, item.VerifiedAt);
        }
    }

    /// <summary>Appends the manifest entry of a control-plane audit record.</summary>
    public static void AppendAudit(ManifestBuilder manifest, Audit.ControlPlaneAuditRecord record)
    {
        WriteControlPlane(manifest.Start(), record.Id, record.TenantId, record.OccurredAt, Audit.AuditValues.ToText(record.ActorKind), record.ActorId, record.ActorAddress,
            record.RequestId, record.Action, record.TargetType, record.TargetId, record.Before, record.After);
        manifest.Finish(LogEntryKind.ControlPlaneAudit, record.Id, record.OccurredAt);
    }

    /// <summary>Appends the manifest entry of a data-plane audit record.</summary>
    public static void AppendAudit(ManifestBuilder manifest, Audit.DataPlaneAuditRecord record)
    {
        WriteDataPlane(manifest.Start(), record.Id, record.TenantId, record.OccurredAt, Audit.AuditValues.ToText(record.ActorKind), record.ActorId, record.ActorAddress,
            record.RequestId, record.Action, Audit.AuditValues.ToText(record.Decision), record.Reason, record.KeyId);
        manifest.Finish(LogEntryKind.DataPlaneAudit, record.Id, record.OccurredAt);
    }

    /// <summary>The SHA-256 of a stored entry's canonical encoding, as the <c>Append</c> methods hash it.</summary>
    public static byte[] HashStored(StoredLogEntry entry)
    {
        var manifest = new ManifestBuilder(1);
        var writer = manifest.Start();
        switch (entry.Kind)
        {
            case LogEntryKind.Record:
                writer.Byte((byte)LogEntryKind.Record);
                writer.Uuid(entry.Id);
                writer.Uuid(entry.TenantId);
                writer.OptionalUuid(entry.KeyId);
                writer.Uuid(entry.RequestedKeyId);
                writer.Text(entry.Algorithm);
                writer.Text(entry.Result);
                writer.Bytes(entry.DocumentSha256);
                writer.Bytes(entry.SignatureSha256);
                writer.Time(entry.Time);
                writer.Text(entry.Caller);
                writer.Text(entry.CallerId);
                writer.Text(entry.Detail);
                break;
            case LogEntryKind.Batch:
                WriteBatch(writer, entry.Id, entry.TenantId, entry.Caller, entry.CallerId, entry.Time, entry.CompletedAt ?? default, entry.TotalCount, entry.ValidCount);
                break;
            case LogEntryKind.BatchItem:
                WriteItem(writer, entry.Id, entry.BatchId ?? Guid.Empty, entry.ItemIndex, entry.KeyId, entry.RequestedKeyId, entry.Algorithm, entry.Result,
                    entry.DocumentSha256, entry.SignatureSha256, entry.Time, entry.Detail);
                break;
            case LogEntryKind.ControlPlaneAudit:
                WriteControlPlane(writer, entry.Id, entry.TenantId, entry.Time, entry.ActorType, entry.ActorId, entry.ActorAddress, entry.RequestId, entry.Action,
                    entry.TargetType, entry.TargetId, entry.Before, entry.After);
                break;
            case LogEntryKind.DataPlaneAudit:
                WriteDataPlane(writer, entry.Id, entry.TenantId, entry.Time, entry.ActorType, entry.ActorId, entry.ActorAddress, entry.RequestId, entry.Action,
                    entry.Decision, entry.Reason, entry.KeyId);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(entry), $"Unknown log entry kind {entry.Kind}.");
        }

        manifest.Finish(entry.Kind, entry.Id, entry.Time);
        return manifest.ToArray().AsSpan(1 + 16 + 8, 32).ToArray();
    }

    /// <summary>The HMAC-SHA256 of a group under the log-chain subkey of <paramref name="masterKey"/>.</summary>
    public static byte[] ComputeDigest(MasterKey masterKey, Guid chainId, Guid tenantId, long sequence, DateTimeOffset committedAt, DateTimeOffset firstEntryAt,
        int entryCount, ReadOnlySpan<byte> manifest, ReadOnlySpan<byte> previousDigest)
    {
        var input = new EntryWriter(new ArrayBufferWriter<byte>(160));
        input.Raw(s_digestLabel);

        input.Uuid(chainId);
        input.Uuid(tenantId);
        input.Int64(sequence);
        input.Time(committedAt);
        input.Time(firstEntryAt);
        input.Text(masterKey.Id);
        input.Int32(entryCount);
        Span<byte> manifestHash = stackalloc byte[32];
        SHA256.HashData(manifest, manifestHash);
        input.Raw(manifestHash);
        input.Raw(previousDigest);
        return HMACSHA256.HashData(masterKey.Subkey(MasterKeyPurpose.LogChain), input.Buffer.WrittenSpan);
    }

    /// <summary>Whether <paramref name="digest"/>'s MAC is right under <paramref name="masterKey"/> (constant time).</summary>
    public static bool IsAuthentic(MasterKey masterKey, LogDigest digest)
    {
        if (!IsShapeValid(digest) || !string.Equals(masterKey.Id, digest.MasterKeyId, StringComparison.Ordinal))
        {
            return false;
        }

        var expected = ComputeDigest(masterKey, digest.ChainId, digest.TenantId, digest.Sequence, digest.CommittedAt, digest.FirstEntryAt,
            digest.EntryCount, digest.Manifest, digest.PreviousDigest);
        return CryptographicOperations.FixedTimeEquals(expected, digest.Digest);
    }

    /// <summary>
    /// The re-wrap MAC of <paramref name="digest"/> under the log-chain subkey of <paramref name="masterKey"/>: over the
    /// label, every field the digest covers (with the original master key's id), the new key's id and the digest itself.
    /// </summary>
    public static byte[] ComputeRewrapMac(MasterKey masterKey, LogDigest digest)
    {
        var input = new EntryWriter(new ArrayBufferWriter<byte>(224));
        input.Raw(s_rewrapLabel);
        input.Uuid(digest.ChainId);
        input.Uuid(digest.TenantId);
        input.Int64(digest.Sequence);
        input.Time(digest.CommittedAt);
        input.Time(digest.FirstEntryAt);
        input.Text(digest.MasterKeyId);
        input.Text(masterKey.Id);
        input.Int32(digest.EntryCount);
        Span<byte> manifestHash = stackalloc byte[32];
        SHA256.HashData(digest.Manifest, manifestHash);
        input.Raw(manifestHash);
        input.Raw(digest.PreviousDigest);
        input.Raw(digest.Digest);
        return HMACSHA256.HashData(masterKey.Subkey(MasterKeyPurpose.LogChain), input.Buffer.WrittenSpan);
    }

    /// <summary>
    /// Checks every MAC of <paramref name="digest"/> that a key of <paramref name="ring"/> can check: its digest under
    /// <see cref="LogDigest.MasterKeyId"/>, its re-wrap MAC under <see cref="LogDigest.RewrapMasterKeyId"/>. Authentic when
    /// at least one can be checked and every one that can is right: a forged re-wrap MAC is a break even while the original
    /// key is still there.
    /// </summary>
    public static DigestCheck Check(MasterKeyRing ring, LogDigest digest)
    {
        var checkedAny = false;
        if (ring.Find(digest.MasterKeyId) is { } original)
        {
            checkedAny = true;
            if (!IsAuthentic(original, digest))
            {
                return DigestCheck.Invalid;
            }
        }

        if (digest.RewrapMasterKeyId is { } rewrapId)
        {
            if (digest.RewrapMac is not { Length: DigestSize } mac)
            {
                return DigestCheck.Invalid;
            }

            if (ring.Find(rewrapId) is { } rewrapKey)
            {
                checkedAny = true;
                if (!IsShapeValid(digest) || !CryptographicOperations.FixedTimeEquals(ComputeRewrapMac(rewrapKey, digest), mac))
                {
                    return DigestCheck.Invalid;
                }
            }
        }

        return checkedAny ? DigestCheck.Authentic : DigestCheck.KeyUnavailable;
    }

    private static bool IsShapeValid(LogDigest digest)
        => digest.Digest.Length == DigestSize && digest.PreviousDigest.Length == DigestSize
           && digest.Manifest.Length == (long)digest.EntryCount * ManifestEntrySize;

    private static void WriteBatch(EntryWriter writer, Guid id, Guid tenantId, string? caller, string? callerId, DateTimeOffset startedAt, DateTimeOffset completedAt, int total, int valid)
    {
        writer.Byte((byte)LogEntryKind.Batch);
        writer.Uuid(id);
        writer.Uuid(tenantId);
        writer.Text(caller);
        writer.Text(callerId);
        writer.Time(startedAt);
        writer.Time(completedAt);
        writer.Int32(total);
        writer.Int32(valid);
    }

    private static void WriteItem(EntryWriter writer, Guid id, Guid batchId, int index, Guid? keyId, Guid requestedKeyId, string? algorithm, string? result,
        byte[]? document, byte[]? signature, DateTimeOffset verifiedAt, string? detail)
    {
        writer.Byte((byte)LogEntryKind.BatchItem);
        writer.Uuid(id);
        writer.Uuid(batchId);
        writer.Int32(index);
        writer.OptionalUuid(keyId);
        writer.Uuid(requestedKeyId);
        writer.Text(algorithm);
        writer.Text(result);
        writer.Bytes(document);
        writer.Bytes(signature);
        writer.Time(verifiedAt);
        writer.Text(detail);
    }

    // The fields both audit encodings start with, after their kind byte.
    private static void WriteAuditCommon(EntryWriter writer, LogEntryKind kind, Guid id, Guid tenantId, DateTimeOffset occurredAt, string? actorType, string? actorId,
        string? actorAddress, string? requestId, string? action)
    {
        writer.Byte((byte)kind);
        writer.Uuid(id);
        writer.Uuid(tenantId);
        writer.Time(occurredAt);
        writer.Text(actorType);
        writer.Text(actorId);
        writer.Text(actorAddress);
        writer.Text(requestId);
        writer.Text(action);
    }

    private static void WriteControlPlane(EntryWriter writer, Guid id, Guid tenantId, DateTimeOffset occurredAt, string? actorType, string? actorId, string? actorAddress,
        string? requestId, string? action, string? targetType, string? targetId, string? before, string? after)
    {
        WriteAuditCommon(writer, LogEntryKind.ControlPlaneAudit, id, tenantId, occurredAt, actorType, actorId, actorAddress, requestId, action);
        writer.Text(targetType);
        writer.Text(targetId);
        writer.Text(before);
        writer.Text(after);
    }

    private static void WriteDataPlane(EntryWriter writer, Guid id, Guid tenantId, DateTimeOffset occurredAt, string? actorType, string? actorId, string? actorAddress,
        string? requestId, string? action, string? decision, string? reason, Guid? keyId)
    {
        WriteAuditCommon(writer, LogEntryKind.DataPlaneAudit, id, tenantId, occurredAt, actorType, actorId, actorAddress, requestId, action);
        writer.Text(decision);
        writer.Text(reason);
        writer.OptionalUuid(keyId);
    }

    /// <summary>Builds a group's manifest: each entry is encoded into a scratch buffer, hashed, and its 57 bytes appended.</summary>
    internal sealed class ManifestBuilder(int capacity)
    {
        private readonly ArrayBufferWriter<byte> _scratch = new(256);
        private byte[] _manifest = new byte[Math.Max(1, capacity) * ManifestEntrySize];

        public int Count { get; private set; }

        public EntryWriter Start()
        {
            _scratch.ResetWrittenCount();
            return new EntryWriter(_scratch);
        }

        public void Finish(LogEntryKind kind, Guid id, DateTimeOffset time)
        {
            if ((Count + 1) * ManifestEntrySize > _manifest.Length)
            {
                Array.Resize(ref _manifest, _manifest.Length * 2);
            }

            var entry = _manifest.AsSpan(Count * ManifestEntrySize, ManifestEntrySize);
            entry[0] = (byte)kind;
            id.TryWriteBytes(entry.Slice(1, 16), bigEndian: true, out _);
            BinaryPrimitives.WriteInt64BigEndian(entry.Slice(17, 8), ToMicroseconds(time));
            SHA256.HashData(_scratch.WrittenSpan, entry.Slice(25, 32));
            Count++;
        }

        public byte[] ToArray() => _manifest.AsSpan(0, Count * ManifestEntrySize).ToArray();
    }

    /// <summary>Writes the primitive fields of an encoding.</summary>
    internal readonly struct EntryWriter(ArrayBufferWriter<byte> buffer)
    {
        public ArrayBufferWriter<byte> Buffer => buffer;

        public void Byte(byte value)
        {
            buffer.GetSpan(1)[0] = value;
            buffer.Advance(1);
        }

        public void Raw(ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), value);
            buffer.Advance(4);
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
            buffer.Advance(8);
        }

        public void Time(DateTimeOffset value) => Int64(ToMicroseconds(value));

        public void Uuid(Guid value)
        {
            value.TryWriteBytes(buffer.GetSpan(16), bigEndian: true, out _);
            buffer.Advance(16);
        }

        public void OptionalUuid(Guid? value)
        {
            if (value is { } id)
            {
                Byte(1);
                Uuid(id);
            }
            else
            {
                Byte(0);
            }
        }

        public void Text(string? value)
        {
            if (value is null)
            {
                Int32(-1);
                return;
            }

            // The length prefix, then the bytes encoded in place.
            var span = buffer.GetSpan(4 + s_utf8.GetMaxByteCount(value.Length));
            var length = s_utf8.GetBytes(value, span[4..]);
            BinaryPrimitives.WriteInt32BigEndian(span, length);
            buffer.Advance(4 + length);
        }

        public void Bytes(byte[]? value)
        {
            if (value is null)
            {
                Int32(-1);
                return;
            }

            Int32(value.Length);
            Raw(value);
        }
    }
}

/// <summary>What checking a digest's MACs found (<see cref="LogChainFormat.Check"/>).</summary>
internal enum DigestCheck
{
    /// <summary>Every MAC a key of the ring could check is right, and there was at least one.</summary>
    Authentic,

    /// <summary>A MAC is wrong (or malformed): the group proves nothing.</summary>
    Invalid,

    /// <summary>The ring has neither the key that made the digest nor the one that re-wrapped it.</summary>
    KeyUnavailable,
}
