namespace KeyInfra.Encryption;

/// <summary>
/// Where a ciphertext lives: its tenant, table, column and row. It is bound into the ciphertext as
/// AES-GCM associated data, so a ciphertext copied to another row, column or tenant does not decrypt.
/// </summary>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="Table">The table name, e.g. <c>private_keys</c>.</param>
/// <param name="Column">The column name, e.g. <c>key_material</c>.</param>
/// <param name="RowId">The row's id.</param>
public readonly record struct EncryptionContext(Guid TenantId, string Table, string Column, Guid RowId);
