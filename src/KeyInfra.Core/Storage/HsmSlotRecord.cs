namespace KeyInfra.Storage;

/// <summary>
/// A tenant's PKCS#11 slot as stored in <c>hsm_slots</c>: a token, found in a module by its label or its serial
/// number, and the user PIN that logs in to it, encrypted.
/// </summary>
/// <param name="Id">The slot's id (UUIDv7, <see cref="Guid.CreateVersion7()"/>). Private keys held in the token name it
/// (<see cref="PrivateKeyRecord.HsmSlotId"/>).</param>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="Name">The slot's name, unique in its tenant (ordinal, case-sensitive); at most 200 characters.</param>
/// <param name="ModuleId">The module (<see cref="HsmModuleRecord.Id"/>) whose library reaches the token.</param>
/// <param name="TokenLabel">The token's label (at most 32 characters), or <c>null</c> when the token is found by <paramref name="TokenSerial"/>.
/// Exactly one of the two is set.</param>
/// <param name="TokenSerial">The token's serial number (at most 16 characters), or <c>null</c> when the token is found by
/// <paramref name="TokenLabel"/>.</param>
/// <param name="EncryptedPin">The user PIN as an envelope ciphertext (never the PIN itself), bound to this row and its
/// token; at most 4,096 bytes.</param>
/// <param name="MasterKeyId">The master key that wrapped <paramref name="EncryptedPin"/>'s data key.</param>
/// <param name="CreatedAt">When the slot was added (UTC).</param>
/// <remarks>
/// <para>Security: the PIN is encrypted with envelope encryption whose associated data binds it to the tenant, the table,
/// the column and this row's id, and to the module's name and the token's label or serial; a database writer who copies a
/// ciphertext to another slot, or points this slot at another module or token, gets a decryption failure, not a login.
/// <see cref="ToString"/> never prints the ciphertext.</para>
/// <para>Immutable; the array is not copied, so do not change it after handing it over.</para>
/// </remarks>
public sealed record HsmSlotRecord(
    Guid Id,
    Guid TenantId,
    string Name,
    Guid ModuleId,
    string? TokenLabel,
    string? TokenSerial,
    byte[] EncryptedPin,
    string MasterKeyId,
    DateTimeOffset CreatedAt)
{
    /// <summary>Names the slot and its token; never prints the PIN ciphertext.</summary>
    public override string ToString()
        => $"HsmSlotRecord({Id}, tenant {TenantId}, '{Name}', module {ModuleId}, {(TokenLabel is not null ? $"label '{TokenLabel}'" : $"serial '{TokenSerial}'")}, PIN wrapped by master key {MasterKeyId})";
}
