using System.Text.Json.Serialization;
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

    /// <summary>The private-key backend (<c>software</c>, <c>pkcs11</c>) when the command knows it; left out of JSON otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Backend { get; init; }

    /// <summary>The HSM slot whose token holds the private key, when the command knows it; left out of JSON otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HsmSlot { get; init; }

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
