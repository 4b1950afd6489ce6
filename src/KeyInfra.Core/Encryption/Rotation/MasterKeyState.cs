namespace KeyInfra.Encryption.Rotation;

/// <summary>One master key: where it is known, and what stored data still needs it. Ids and counts only, never key material.</summary>
public sealed record MasterKeyState
{
    /// <summary>The key's id.</summary>
    public required string Id { get; init; }

    /// <summary>Whether it is the current key (wraps and authenticates everything new).</summary>
    public bool IsCurrent { get; init; }

    /// <summary>Whether the configured sources give the key (data under a key they do not give cannot be read).</summary>
    public bool InSources { get; init; }

    /// <summary>Whether the database has a check value for the key (it was current, or retired, here).</summary>
    public bool KnownToDatabase { get; init; }

    /// <summary>When the database first saw the key, if it did.</summary>
    public DateTimeOffset? FirstSeenAt { get; init; }

    /// <summary>Whether the key was retired on this database (it can never be current again).</summary>
    public bool Retired { get; init; }

    /// <summary>Private keys whose data key this key wraps.</summary>
    public long PrivateKeys { get; init; }

    /// <summary>Key rows whose MAC this key made.</summary>
    public long KeyRowMacs { get; init; }

    /// <summary>HSM slot PINs this key wraps.</summary>
    public long HsmPins { get; init; }

    /// <summary>Verification log digests this key made or re-wrapped last (a re-wrap adds a MAC under the current key beside each).</summary>
    public long LogDigests { get; init; }

    /// <summary>Verification log retention checkpoints this key made or re-wrapped last.</summary>
    public long LogCheckpoints { get; init; }

    /// <summary>Rows that decide access (users, role grants and assignments, applications, credentials) whose MAC this key made.</summary>
    public long IdentityRowMacs { get; init; }

    /// <summary>Everything stored that names the key.</summary>
    public long Uses => PrivateKeys + KeyRowMacs + HsmPins + LogDigests + LogCheckpoints + IdentityRowMacs;

    /// <summary>Whether <see cref="IMasterKeyRotation.RetireAsync"/> would accept it now.</summary>
    public bool CanRetire => !IsCurrent && !Retired && InSources && Uses == 0;

    /// <summary>What still uses the key, in words (for example <c>3 private keys, 12 key row MACs</c>); empty when nothing does.</summary>
    public string DescribeUses()
    {
        var parts = new List<string>();
        Add(PrivateKeys, "private key", "private keys");
        Add(KeyRowMacs, "key row MAC", "key row MACs");
        Add(HsmPins, "HSM slot PIN", "HSM slot PINs");
        Add(LogDigests, "verification log digest", "verification log digests");
        Add(LogCheckpoints, "verification log checkpoint", "verification log checkpoints");
        Add(IdentityRowMacs, "access-control row MAC", "access-control row MACs");
        return string.Join(", ", parts);

        void Add(long count, string one, string many)
        {
            if (count > 0)
            {
                parts.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + (count == 1 ? one : many));
            }
        }
    }
}
