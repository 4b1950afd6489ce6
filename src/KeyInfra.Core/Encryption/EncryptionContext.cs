namespace KeyInfra.Encryption;

/// <summary>
/// Where a ciphertext lives: its tenant, table, column and row, and optionally what else it belongs to
/// (<see cref="Binding"/>). All of it is bound into the ciphertext as AES-GCM associated data, so a ciphertext copied
/// to another row, column or tenant, or kept beside different bound data, does not decrypt.
/// </summary>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="Table">The table name, e.g. <c>private_keys</c>.</param>
/// <param name="Column">The column name, e.g. <c>key_material</c>.</param>
/// <param name="RowId">The row's id.</param>
public readonly record struct EncryptionContext(Guid TenantId, string Table, string Column, Guid RowId)
{
    /// <summary>
    /// Further data the secret belongs to, at most 1,024 bytes, bound into ciphertexts of format v2: for a private key,
    /// its key spec and the SHA-256 of its public key, so a row whose public key or spec was changed does not decrypt.
    /// Empty by default. Format v1 ciphertexts (written before v2, still read) are not bound to it.
    /// </summary>
    /// <remarks>Not secret. Equality compares the memory reference, not the bytes.</remarks>
    public ReadOnlyMemory<byte> Binding { get; init; }
}
