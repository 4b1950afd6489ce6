namespace KeyInfra.Storage;

/// <summary>A private key as stored: its protection and the protected bytes (or the HSM reference).</summary>
/// <param name="Protection">How <paramref name="Material"/> is protected.</param>
/// <param name="Material">An envelope ciphertext, legacy plaintext PKCS#8, or an HSM object reference.</param>
/// <param name="MasterKeyId">The master key that wrapped the data key (<see cref="PrivateKeyProtection.Envelope"/> only).</param>
public sealed record PrivateKeyRecord(PrivateKeyProtection Protection, byte[] Material, string? MasterKeyId)
{
    /// <summary>The name of the private-key backend that holds the key; <c>software</c> for keys KeyInfra encrypts itself.</summary>
    public string Backend { get; init; } = "software";

    /// <summary>
    /// The HSM slot (<see cref="HsmSlotRecord.Id"/>) whose token holds the key, for keys of the <c>pkcs11</c> backend;
    /// <c>null</c> otherwise. Stored in <c>private_keys.hsm_slot_id</c>, a foreign key that also ties the tenant
    /// (<c>(tenant_id, hsm_slot_id)</c> → <c>hsm_slots (tenant_id, id)</c>, ON DELETE RESTRICT): a key names only a slot of
    /// its own tenant, and a slot is not removed while a key names it.
    /// </summary>
    public Guid? HsmSlotId { get; init; }

    /// <summary>Never prints the material.</summary>
    public override string ToString() => $"PrivateKeyRecord({Backend}, {Protection}, {Material.Length} bytes, master key {MasterKeyId ?? "-"}{(HsmSlotId is { } slot ? $", HSM slot {slot}" : "")})";
}
