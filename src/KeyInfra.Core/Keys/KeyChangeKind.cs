namespace KeyInfra.Keys;

/// <summary>What happened to a key (<see cref="KeyChange.Kind"/>).</summary>
public enum KeyChangeKind
{
    /// <summary>The key was created, imported, or added to a ring by rotation.</summary>
    Created = 0,

    /// <summary>Stored fields of the key other than its status changed.</summary>
    Updated = 1,

    /// <summary>The key was revoked.</summary>
    Revoked = 2,

    /// <summary>The key was expired.</summary>
    Expired = 3,

    /// <summary>The key was deleted.</summary>
    Deleted = 4,

    /// <summary>The stored private key was replaced (re-encrypted, re-wrapped, moved to another backend).</summary>
    PrivateKeyChanged = 5,
}
