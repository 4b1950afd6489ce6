using System.Security.Cryptography;
using System.Text;

namespace KeyInfra.Encryption;

/// <summary>
/// Derives a master key's purpose subkeys: HKDF-SHA256 (RFC 5869) with the master key as input keying material,
/// no salt, and the info string <c>KeyInfra/v2/subkey/&lt;purpose&gt;</c>; 32 bytes each. docs/security.md lists
/// the info strings; changing one makes every stored value under that purpose unreadable.
/// </summary>
internal static class MasterKeySubkeys
{
    /// <summary>The length of every subkey in bytes.</summary>
    public const int SubkeySize = 32;

    /// <summary>The number of purposes; subkeys are laid out in <see cref="MasterKeyPurpose"/> order.</summary>
    public const int PurposeCount = 5;

    private static readonly byte[][] Infos =
    [
        Encoding.ASCII.GetBytes("KeyInfra/v2/subkey/data-key-wrap"),
        Encoding.ASCII.GetBytes("KeyInfra/v2/subkey/check-value"),
        Encoding.ASCII.GetBytes("KeyInfra/v2/subkey/row-authentication"),
        Encoding.ASCII.GetBytes("KeyInfra/v2/subkey/log-chain"),
        Encoding.ASCII.GetBytes("KeyInfra/v2/subkey/identity-rows"),
    ];

    /// <summary>The HKDF info string of a purpose.</summary>
    public static ReadOnlySpan<byte> Info(MasterKeyPurpose purpose) => Infos[(int)purpose];

    /// <summary>Derives every purpose's subkey of <paramref name="masterKey"/> into <paramref name="destination"/>, in purpose order.</summary>
    public static void DeriveAll(ReadOnlySpan<byte> masterKey, Span<byte> destination)
    {
        if (destination.Length != PurposeCount * SubkeySize)
        {
            throw new ArgumentException($"The destination holds {PurposeCount} subkeys of {SubkeySize} bytes.", nameof(destination));
        }

        for (var i = 0; i < PurposeCount; i++)
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, destination.Slice(i * SubkeySize, SubkeySize), salt: [], info: Infos[i]);
        }
    }
}
