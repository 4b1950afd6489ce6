namespace KeyInfra.Storage;

/// <summary>What kind of stored thing a master key made, and so what keeps that key needed.</summary>
public enum MasterKeyUseKind
{
    /// <summary>A private key whose data key the master key wraps (<c>private_keys.master_key_id</c>).</summary>
    PrivateKey = 0,

    /// <summary>A key row whose MAC the master key's row subkey made (<c>public_keys.row_mac_master_key_id</c>).</summary>
    KeyRowMac = 1,

    /// <summary>An HSM slot PIN whose data key the master key wraps (<c>hsm_slots.master_key_id</c>).</summary>
    HsmPin = 2,

    /// <summary>A digest of the verification log's chain made with the master key's log-chain subkey.</summary>
    LogDigest = 3,

    /// <summary>A retention checkpoint of the verification log (a copy of a digest) made with the master key's log-chain subkey.</summary>
    LogCheckpoint = 4,

    /// <summary>
    /// A row that decides access (a user, role grant, role assignment, application or credential) whose MAC the master key's
    /// identity subkey made (<c>row_mac_master_key_id</c> of <c>users</c>, <c>role_permissions</c>, <c>user_roles</c>,
    /// <c>applications</c>, <c>application_roles</c>, <c>application_credentials</c>).
    /// </summary>
    IdentityRowMac = 5,
}
