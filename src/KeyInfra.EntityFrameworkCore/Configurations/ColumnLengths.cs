namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>The maximum lengths of text columns, in characters.</summary>
internal static class ColumnLengths
{
    /// <summary>Names, owners, ring names and callers: the 200 characters Core accepts.</summary>
    public const int ShortText = 200;

    /// <summary>A master key id.</summary>
    public const int MasterKeyId = 200;

    /// <summary>A key spec name such as <c>ecdsa-secp256k1</c>.</summary>
    public const int Algorithm = 32;

    /// <summary>Reference data names (<c>ecdsa</c>, <c>secp256k1</c>).</summary>
    public const int ReferenceName = 32;

    /// <summary>
    /// The metadata JSON. Core allows 64 entries of up to 100 + 1,000 characters; even if every character
    /// were escaped as <c>\uXXXX</c> (6 characters) that is under 430,000, so 512 Ki characters always fit.
    /// </summary>
    public const int Metadata = 512 * 1024;

    /// <summary>A private-key backend name (<c>software</c>, <c>pkcs11</c>).</summary>
    public const int BackendName = 64;

    /// <summary>An RFC 7638 SHA-256 thumbprint in Base64url without padding.</summary>
    public const int JwkThumbprint = 43;

    /// <summary>A PKCS#11 library's path (Linux's PATH_MAX).</summary>
    public const int LibraryPath = 4096;

    /// <summary>A PKCS#11 token label (<c>CK_TOKEN_INFO.label</c> is 32 bytes of UTF-8, so at most 32 characters).</summary>
    public const int TokenLabel = 32;

    /// <summary>A PKCS#11 token serial number (<c>CK_TOKEN_INFO.serialNumber</c> is 16 characters).</summary>
    public const int TokenSerial = 16;

    /// <summary>An HSM slot's PIN ciphertext, in bytes: an envelope ciphertext of a PIN is a few hundred bytes at most.</summary>
    public const int EncryptedPin = 4096;

    /// <summary>A SHA-256 hash, in bytes.</summary>
    public const int Sha256 = 32;
    public const int Email = 320;
    public const int CredentialHash = 512;
    public const int RoleName = 64;

    /// <summary>An audit actor type, target type or decision (<c>application</c>, <c>hsm_module</c>).</summary>
    public const int AuditKind = 32;

    /// <summary>An audit action (<c>application.role.remove</c>; Core allows 64).</summary>
    public const int AuditAction = 64;

    /// <summary>A data-plane decision's reason (Core cuts it to 400).</summary>
    public const int AuditReason = 400;

    /// <summary>A network address as text (Core cuts it to 64).</summary>
    public const int NetworkAddress = 64;

    /// <summary>A certificate's DER: far above a real one (a few KB).</summary>
    public const int Certificate = 64 * 1024;

    /// <summary>A CRL's DER: 16 MiB, about 400,000 entries.</summary>
    public const int RevocationList = 16 * 1024 * 1024;

    /// <summary>A serial number in hexadecimal (20 bytes at most, RFC 5280).</summary>
    public const int SerialNumber = 40;

    /// <summary>A subject's distinguished name as text.</summary>
    public const int DistinguishedName = 2048;

    /// <summary>The subject alternative names, comma-separated (100 names of up to 253 characters).</summary>
    public const int SubjectAlternativeNames = 26 * 1024;

    /// <summary>A URL (a CRL distribution point).</summary>
    public const int Url = 2048;
}
