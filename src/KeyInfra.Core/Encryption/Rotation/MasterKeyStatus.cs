namespace KeyInfra.Encryption.Rotation;

/// <summary>The master keys of a host and its database (<see cref="IMasterKeyRotation.GetStatusAsync"/>).</summary>
/// <param name="CurrentKeyId">The id of the key that wraps and authenticates everything new.</param>
/// <param name="RowsStrict">Whether the database refuses every key row without a MAC (all rows were authenticated).</param>
/// <param name="Keys">Every key the sources give or the database knows: the current one first, then the others by id.</param>
public sealed record MasterKeyStatus(string CurrentKeyId, bool RowsStrict, IReadOnlyList<MasterKeyState> Keys)
{
    /// <summary>The older keys that stored data still names: what a <see cref="IMasterKeyRotation.RewrapAsync"/> would move.</summary>
    public IEnumerable<MasterKeyState> StillUsedOlderKeys => Keys.Where(k => !k.IsCurrent && k.Uses > 0);
}
