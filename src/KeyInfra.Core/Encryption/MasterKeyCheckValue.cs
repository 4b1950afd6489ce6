using System.Security.Cryptography;
using System.Text;

namespace KeyInfra.Encryption;

/// <summary>
/// The master key check values stored in <c>master_keys.check_value</c>, and the database state the second version
/// carries.
/// </summary>
/// <remarks>
/// <para>v1 (32 bytes, written by releases before row authentication): HMAC-SHA256 of the ASCII label
/// <c>KeyInfra key check value v1</c> under the master key itself. Still read: it tells the right key from a wrong
/// one, and says the database was used by an older release (its rows are being migrated).</para>
/// <para>v2 (34 bytes): <c>0x02 | flags | HMAC-SHA256(check-value subkey, "KeyInfra key check value v2" | flags)</c>,
/// where the subkey is <see cref="MasterKeyPurpose.CheckValue"/> of the master key. Flags bit 0
/// (<see cref="CheckValueFlags.RowsAuthenticated"/>) is the strict state: every key row carries a MAC, and a row
/// without one is refused. Bit 1 (<see cref="CheckValueFlags.Retired"/>) says the key was retired: nothing stored names
/// it, and it may not be the current key again. The other bits are reserved and must be zero. The flags are under the MAC, so a writer
/// without the master key cannot change them; replacing the whole value with one the key did not make fails the
/// check (KI2003).</para>
/// </remarks>
internal static class MasterKeyCheckValue
{
    /// <summary>The length of a v1 check value.</summary>
    public const int V1Length = 32;

    /// <summary>The length of a v2 check value.</summary>
    public const int V2Length = 34;

    /// <summary>The first byte of a v2 check value.</summary>
    public const byte V2Marker = 0x02;

    private static readonly byte[] V1Label = Encoding.ASCII.GetBytes("KeyInfra key check value v1");
    private static readonly byte[] V2Label = Encoding.ASCII.GetBytes("KeyInfra key check value v2");

    /// <summary>A v2 check value of <paramref name="key"/> carrying <paramref name="flags"/>.</summary>
    public static byte[] CreateV2(MasterKey key, CheckValueFlags flags)
    {
        ArgumentNullException.ThrowIfNull(key);
        var value = new byte[V2Length];
        value[0] = V2Marker;
        value[1] = (byte)flags;
        ComputeV2Mac(key, (byte)flags, value.AsSpan(2));
        return value;
    }

    /// <summary>Reads a stored check value under <paramref name="key"/> (constant-time MAC comparison).</summary>
    public static CheckValueReading Read(MasterKey key, ReadOnlySpan<byte> stored)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> mine = stackalloc byte[32];
        if (stored.Length == V1Length)
        {
            HMACSHA256.HashData(key.KeyBytes, V1Label, mine);
            return CryptographicOperations.FixedTimeEquals(mine, stored) ? CheckValueReading.V1 : CheckValueReading.Mismatch;
        }

        if (stored.Length != V2Length || stored[0] != V2Marker)
        {
            return CheckValueReading.Mismatch;
        }

        var flags = stored[1];
        ComputeV2Mac(key, flags, mine);
        if (!CryptographicOperations.FixedTimeEquals(mine, stored[2..]))
        {
            return CheckValueReading.Mismatch;
        }

        return (flags & ~(byte)(CheckValueFlags.RowsAuthenticated | CheckValueFlags.Retired)) != 0
            ? CheckValueReading.UnknownFlags
            : new CheckValueReading(2, (CheckValueFlags)flags);
    }

    private static void ComputeV2Mac(MasterKey key, byte flags, Span<byte> destination)
    {
        Span<byte> message = stackalloc byte[V2Label.Length + 1];
        V2Label.CopyTo(message);
        message[^1] = flags;
        HMACSHA256.HashData(key.Subkey(MasterKeyPurpose.CheckValue), message, destination);
    }
}

/// <summary>The database state a v2 check value carries.</summary>
[Flags]
internal enum CheckValueFlags : byte
{
    /// <summary>Migrating: rows without a MAC are still read, each with a warning.</summary>
    None = 0,

    /// <summary>Strict: every key row is authenticated; a row without a MAC is refused.</summary>
    RowsAuthenticated = 1,

    /// <summary>Retired: nothing stored names the key any more, and it may not become the current key again.</summary>
    Retired = 2,
}

/// <summary>What a stored check value says under one master key.</summary>
/// <param name="Version">1 or 2 when the value is this key's; 0 when it is not (<see cref="Mismatch"/>); -1 for <see cref="UnknownFlags"/>.</param>
/// <param name="Flags">The state a v2 value carries (<see cref="CheckValueFlags.None"/> for v1).</param>
internal readonly record struct CheckValueReading(int Version, CheckValueFlags Flags)
{
    /// <summary>Not this key's check value (another key, or altered).</summary>
    public static CheckValueReading Mismatch => new(0, CheckValueFlags.None);

    /// <summary>This key's v1 value: the database was used by an older release.</summary>
    public static CheckValueReading V1 => new(1, CheckValueFlags.None);

    /// <summary>This key's v2 value with flags this release does not know (written by a newer release).</summary>
    public static CheckValueReading UnknownFlags => new(-1, CheckValueFlags.None);

    /// <summary>Whether the value belongs to the key (v1, or v2 with known flags).</summary>
    public bool Matches => Version is 1 or 2;

    /// <summary>Whether the value says every row is authenticated.</summary>
    public bool Strict => Version == 2 && Flags.HasFlag(CheckValueFlags.RowsAuthenticated);

    /// <summary>Whether the value says the key was retired.</summary>
    public bool Retired => Version == 2 && Flags.HasFlag(CheckValueFlags.Retired);
}
