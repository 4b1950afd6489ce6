namespace KeyInfra.Storage;

/// <summary>What <see cref="IKeyRepository.DeleteAsync"/> did.</summary>
public enum DeleteKeyOutcome
{
    /// <summary>The key was deleted.</summary>
    Deleted = 0,

    /// <summary>There was no such key.</summary>
    NotFound = 1,

    /// <summary>Verification records refer to the key; nothing was deleted.</summary>
    InUse = 2,
}
