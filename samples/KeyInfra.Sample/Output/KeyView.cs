using KeyInfra.Keys;
using KeyInfra.Signing;

namespace KeyInfra.Sample.Output;

/// <summary>A key as the CLI prints it (tables and <c>--json</c>). Public data only: the private key never leaves KeyInfra.</summary>
internal sealed record KeyView(
    KeyId Id,
    string Name,
    string Type,
    KeyStatus Status,
    KeyStatus EffectiveStatus,
    bool HasPrivateKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    RevocationReason? RevocationReason,
    string? Ring,
    int? RingVersion,
    string? Owner,
    SignatureEncoding? SignatureEncoding,
    RsaPadding? RsaPadding,
    string? HashAlgorithm,
    IReadOnlyDictionary<string, string> Metadata,
    string PublicKeySpki)
{
    public static KeyView From(KeyInfo key, DateTimeOffset now) => new(
        key.Id,
        key.Name,
        key.Spec.Name,
        key.Status,
        key.EffectiveStatus(now),
        key.HasPrivateKey,
        key.CreatedAt,
        key.ExpiresAt,
        key.RevokedAt,
        key.RevocationReason,
        key.RingName,
        key.RingVersion,
        key.Owner,
        key.Spec.Algorithm == KeyAlgorithm.Ecdsa ? key.DefaultSignatureEncoding : null,
        key.Spec.Algorithm == KeyAlgorithm.Rsa ? key.DefaultRsaPadding : null,
        key.Spec.Algorithm == KeyAlgorithm.EdDsa ? null : key.Spec.DefaultHashAlgorithm.Name,
        key.Metadata,
        Convert.ToBase64String(key.PublicKeySpki.Span));

    public string RingLabel => Ring is null ? "-" : $"{Ring} v{RingVersion}";

    public static TableWriter Table(IEnumerable<KeyView> keys)
    {
        var table = new TableWriter("ID", "TYPE", "NAME", "STATUS", "RING", "OWNER", "CREATED", "EXPIRES");
        foreach (var key in keys)
        {
            table.AddRow(key.Id.ToString(), key.Type, key.Name, key.EffectiveStatus.ToString(), key.RingLabel, key.Owner,
                Formats.Time(key.CreatedAt), Formats.Time(key.ExpiresAt));
        }

        return table;
    }
}
