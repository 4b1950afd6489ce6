namespace KeyInfra.Encryption;

/// <summary>
/// What a subkey of a master key is for. Each purpose gets its own key, derived from the master key with HKDF, so
/// no key serves two algorithms or two kinds of data: a MAC of a key row can never pass as a log digest.
/// </summary>
/// <remarks>The values are never stored; the HKDF info strings in <see cref="MasterKeySubkeys"/> are the contract.</remarks>
internal enum MasterKeyPurpose
{
    /// <summary>AES-256-GCM key that wraps data keys (envelope v2).</summary>
    DataKeyWrap,

    /// <summary>HMAC-SHA256 key of the master key's check value (and the database state it carries).</summary>
    CheckValue,

    /// <summary>HMAC-SHA256 key that authenticates key rows.</summary>
    RowAuthentication,

    /// <summary>HMAC-SHA256 key that authenticates the verification log's chain digests.</summary>
    LogChain,

    /// <summary>HMAC-SHA256 key that authenticates the rows that decide access: users, role grants and assignments, applications, credentials.</summary>
    IdentityRows,
}
