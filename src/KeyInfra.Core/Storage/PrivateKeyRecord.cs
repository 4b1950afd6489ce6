namespace KeyInfra.Storage;

/// <summary>A private key as stored: its protection and the protected bytes (or the HSM reference).</summary>
/// <param name="Protection">How <paramref name="Material"/> is protected.</param>
/// <param name="Material">An envelope ciphertext, legacy plaintext PKCS#8, or an HSM object reference.</param>
/// <param name="MasterKeyId">The master key that wrapped the data key (<see cref="PrivateKeyProtection.Envelope"/> only).</param>
public sealed record PrivateKeyRecord(PrivateKeyProtection Protection, byte[] Material, string? MasterKeyId)
{
    /// <summary>The name of the private-key backend that holds the key; <c>software</c> for keys KeyInfra encrypts itself.</summary>
    public string Backend { get; init; } = "software";

    /// <summary>Never prints the material.</summary>
    public override string ToString() => $"PrivateKeyRecord({Backend}, {Protection}, {Material.Length} bytes, master key {MasterKeyId ?? "-"})";
}
