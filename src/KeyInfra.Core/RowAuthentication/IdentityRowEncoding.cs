using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using KeyInfra.Storage;

namespace KeyInfra.RowAuthentication;

/// <summary>
/// The canonical encoding of the rows that decide access, which their MACs cover (docs/access-control.md lists the
/// fields): the 21 ASCII bytes <c>KeyInfra identity row</c>, the format version <c>0x01</c>, a table byte, then the
/// table's fields in a fixed order, each as <c>u32 BE length | value</c>.
/// </summary>
/// <remarks>
/// Values as in <see cref="KeyRowEncoding"/>: ids as their 16 bytes in RFC 9562 order, integers big-endian, times as
/// microseconds since the Unix epoch (i64), strings as strict UTF-8, a nullable value as <c>0x00</c> or <c>0x01</c>
/// and the value. The table byte keeps a row of one table from passing as a row of another; the label keeps every
/// identity row apart from key rows (which also have their own subkey).
/// </remarks>
internal static class IdentityRowEncoding
{
    private const byte FormatVersion = 1;

    private static readonly byte[] Label = Encoding.ASCII.GetBytes("KeyInfra identity row");
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private enum Table : byte
    {
        Users = 1,
        UserRoles = 2,
        ApplicationRoles = 3,
        RolePermissions = 4,
        Applications = 5,
        ApplicationCredentials = 6,
        Curves = 7,
        CertificateAuthorities = 8,
        Certificates = 9,
        RevokedCertificates = 10,
    }

    public static byte[] Encode(CurveRecord curve)
    {
        var writer = Start(Table.Curves);
        Int64(writer, (int)curve.Curve);
        Int64(writer, (int)curve.Status);
        Int64(writer, curve.Version);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Encode(UserRecord user)
    {
        var writer = Start(Table.Users);
        Guid(writer, user.TenantId);
        Guid(writer, user.Id);
        Text(writer, user.Username);
        Text(writer, user.Email);
        Text(writer, user.PasswordHash);
        Int64(writer, (int)user.Status);
        Guid(writer, user.ApplicationId);
        Int64(writer, user.Version);
        Time(writer, user.CreatedAt);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Encode(RoleAssignmentRecord assignment)
    {
        var writer = Start(assignment.Kind == Identity.PrincipalKind.User ? Table.UserRoles : Table.ApplicationRoles);
        Guid(writer, assignment.TenantId);
        Guid(writer, assignment.PrincipalId);
        Text(writer, assignment.Role);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Encode(RoleGrantRecord grant)
    {
        var writer = Start(Table.RolePermissions);
        Guid(writer, grant.TenantId);
        Text(writer, grant.Role);
        Text(writer, grant.Permission);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Encode(ApplicationRecord application)
    {
        var writer = Start(Table.Applications);
        Guid(writer, application.TenantId);
        Guid(writer, application.Id);
        Text(writer, application.Name);
        Int64(writer, (int)application.Status);
        Guid(writer, application.HsmSlotId);
        Int64(writer, application.Version);
        Time(writer, application.CreatedAt);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] Encode(ApplicationCredentialRecord credential)
    {
        var writer = Start(Table.ApplicationCredentials);
        Guid(writer, credential.TenantId);
        Guid(writer, credential.Id);
        Guid(writer, credential.ApplicationId);
        Text(writer, credential.ClientId);
        Text(writer, credential.SecretHash);
        Time(writer, credential.ExpiresAt);
        Time(writer, credential.RevokedAt);
        Int64(writer, credential.Version);
        Time(writer, credential.CreatedAt);
        return writer.WrittenSpan.ToArray();
    }

    // A certificate authority decides what KeyInfra signs: its key, its certificate (by hash), its place in the
    // hierarchy and the CRL it last published (number and hash), so none can be swapped or rolled back alone.
    public static byte[] Encode(CertificateAuthorityRecord authority)
    {
        var writer = Start(Table.CertificateAuthorities);
        Guid(writer, authority.TenantId);
        Guid(writer, authority.Id);
        Text(writer, authority.Name);
        Guid(writer, authority.KeyId.Value);
        Guid(writer, authority.ParentId);
        Text(writer, authority.ProfileName);
        Field(writer, System.Security.Cryptography.SHA256.HashData(authority.CertificateDer));
        Time(writer, authority.NotAfter);
        Text(writer, authority.CrlDistributionPoint);
        Int64(writer, authority.CrlNumber);
        Field(writer, authority.LastCrlSha256 ?? []);
        Time(writer, authority.NextCrlDue);
        Int64(writer, authority.Version);
        Time(writer, authority.CreatedAt);
        return writer.WrittenSpan.ToArray();
    }

    // A certificate row decides who sees, renews, revokes and exports a certificate, and with which key: every field,
    // its state (status, renewal) included, so that no field can be changed alone. The DER is covered by its hash.
    public static byte[] Encode(CertificateRecord certificate)
    {
        var writer = Start(Table.Certificates);
        Guid(writer, certificate.TenantId);
        Guid(writer, certificate.Id);
        Guid(writer, certificate.AuthorityId);
        Text(writer, certificate.SerialNumber);
        Text(writer, certificate.Owner);
        Text(writer, certificate.Subject);
        Text(writer, certificate.SubjectAlternativeNames);
        Time(writer, certificate.NotBefore);
        Time(writer, certificate.NotAfter);
        Int64(writer, (int)certificate.Status);
        Int64(writer, certificate.Version);
        Guid(writer, certificate.PreviousId);
        Time(writer, certificate.RenewedAt);
        Text(writer, certificate.RenewedBy);
        Guid(writer, certificate.RenewedById);
        Text(writer, certificate.ProfileName);
        Guid(writer, certificate.KeyId?.Value);
        Field(writer, System.Security.Cryptography.SHA256.HashData(certificate.Der));
        Time(writer, certificate.CreatedAt);
        return writer.WrittenSpan.ToArray();
    }

    // A revocation row is what the next CRL lists: which certificate of which issuer, why, when and by whom.
    public static byte[] Encode(RevokedCertificateRecord revocation)
    {
        var writer = Start(Table.RevokedCertificates);
        Guid(writer, revocation.TenantId);
        Guid(writer, revocation.CertificateId);
        Guid(writer, revocation.AuthorityId);
        Text(writer, revocation.SerialNumber);
        Int64(writer, (int)revocation.Reason);
        Time(writer, revocation.RevokedAt);
        Text(writer, revocation.RevokedBy);
        return writer.WrittenSpan.ToArray();
    }

    private static ArrayBufferWriter<byte> Start(Table table)
    {
        var writer = new ArrayBufferWriter<byte>(256);
        writer.Write(Label);
        writer.Write([FormatVersion, (byte)table]);
        return writer;
    }

    private static void Field(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(writer.GetSpan(4), checked((uint)value.Length));
        writer.Advance(4);
        writer.Write(value);
    }

    private static void Guid(ArrayBufferWriter<byte> writer, Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        Field(writer, bytes);
    }

    private static void Guid(ArrayBufferWriter<byte> writer, Guid? value)
    {
        Span<byte> bytes = stackalloc byte[17];
        if (value is not { } v)
        {
            Field(writer, [0]);
            return;
        }

        bytes[0] = 1;
        v.TryWriteBytes(bytes[1..], bigEndian: true, out _);
        Field(writer, bytes);
    }

    private static void Int64(ArrayBufferWriter<byte> writer, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        Field(writer, bytes);
    }

    private static void Time(ArrayBufferWriter<byte> writer, DateTimeOffset value)
        => Int64(writer, KeyRowEncoding.Microseconds(value));

    private static void Time(ArrayBufferWriter<byte> writer, DateTimeOffset? value)
    {
        Span<byte> bytes = stackalloc byte[9];
        if (value is not { } v)
        {
            Field(writer, [0]);
            return;
        }

        bytes[0] = 1;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], KeyRowEncoding.Microseconds(v));
        Field(writer, bytes);
    }

    private static void Text(ArrayBufferWriter<byte> writer, string? value)
    {
        if (value is null)
        {
            Field(writer, [0]);
            return;
        }

        var bytes = new byte[1 + StrictUtf8.GetByteCount(value)];
        bytes[0] = 1;
        StrictUtf8.GetBytes(value, bytes.AsSpan(1));
        Field(writer, bytes);
    }
}
