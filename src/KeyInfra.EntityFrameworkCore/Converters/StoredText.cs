using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;

namespace KeyInfra.EntityFrameworkCore.Converters;

/// <summary>The text stored for each enum; part of the schema, so never renamed.</summary>
internal static class StoredText
{
    public static EnumTextMap<KeyStatus> KeyStatus { get; } = new(
        (Keys.KeyStatus.Active, "active"),
        (Keys.KeyStatus.Revoked, "revoked"),
        (Keys.KeyStatus.Expired, "expired"));

    public static EnumTextMap<KeyFormat> KeyFormat { get; } = new(
        (Keys.KeyFormat.Pem, "pem"),
        (Keys.KeyFormat.Der, "der"),
        (Keys.KeyFormat.Raw, "raw"));

    public static EnumTextMap<RevocationReason> RevocationReason { get; } = new(
        (Keys.RevocationReason.Unspecified, "unspecified"),
        (Keys.RevocationReason.KeyCompromise, "key_compromise"),
        (Keys.RevocationReason.AffiliationChanged, "affiliation_changed"),
        (Keys.RevocationReason.Superseded, "superseded"),
        (Keys.RevocationReason.CessationOfOperation, "cessation_of_operation"),
        (Keys.RevocationReason.PrivilegeWithdrawn, "privilege_withdrawn"));

    public static EnumTextMap<SignatureEncoding> SignatureEncoding { get; } = new(
        (Signing.SignatureEncoding.P1363, "p1363"),
        (Signing.SignatureEncoding.Der, "der"));

    public static EnumTextMap<RsaPadding> RsaPadding { get; } = new(
        (Signing.RsaPadding.Pss, "pss"),
        (Signing.RsaPadding.Pkcs1, "pkcs1"));

    public static EnumTextMap<PrivateKeyProtection> Protection { get; } = new(
        (PrivateKeyProtection.None, "none"),
        (PrivateKeyProtection.Envelope, "envelope"),
        (PrivateKeyProtection.Hsm, "hsm"));

    public static EnumTextMap<Certificates.CertificateStatus> CertificateStatus { get; } = new(
        (Certificates.CertificateStatus.Active, "active"),
        (Certificates.CertificateStatus.Superseded, "superseded"),
        (Certificates.CertificateStatus.Revoked, "revoked"));

    // RFC 5280's names (section 5.3.1), in its spelling.
    public static EnumTextMap<System.Security.Cryptography.X509Certificates.X509RevocationReason> CertificateRevocationReason { get; } = new(
        [.. Enum.GetValues<System.Security.Cryptography.X509Certificates.X509RevocationReason>().Select(r => (r, System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(r.ToString())))]);

    // The log chain hashes the stored text, so the one table is Core's.
    public static EnumTextMap<VerificationStatus> VerificationStatus { get; } = new(
        [.. Enum.GetValues<Verification.VerificationStatus>().Where(s => s != 0).Select(s => (s, LogStatusText.ToText(s)))]);
}
