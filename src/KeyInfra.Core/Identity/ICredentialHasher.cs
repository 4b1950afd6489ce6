namespace KeyInfra.Identity;

/// <summary>
/// Hashes and checks application secrets and user passwords, in the format
/// <c>pbkdf2_sha256:&lt;iterations&gt;:&lt;salt_hex&gt;:&lt;hash_hex&gt;</c>: PBKDF2-HMAC-SHA256 over the UTF-8 secret, a random
/// 16-byte salt, a 32-byte result, lowercase hex.
/// </summary>
/// <remarks>
/// <para>
/// Stored hashes are parsed strictly before anything is computed: the exact prefix, a decimal iteration count without
/// sign or leading zero within <see cref="CredentialHashingOptions.MinIterations"/>–<see cref="CredentialHashingOptions.MaxIterations"/>,
/// a salt of 16–64 bytes and a 32-byte hash, lowercase hex only. A malformed hash is <c>KI5101</c>; a legacy
/// <c>sha256:&lt;salt_hex&gt;:&lt;hash_hex&gt;</c> hash (one round of SHA-256, guessable at billions per second) is refused
/// with <c>KI5102</c>, never checked: the secret must be rotated.
/// </para>
/// <para>The comparison is constant-time. Secrets are never logged, and copies of their bytes are zeroed. Thread-safe.</para>
/// </remarks>
public interface ICredentialHasher
{
    /// <summary>Hashes <paramref name="secret"/> with a new random salt and the configured iteration count.</summary>
    /// <param name="secret">1 to 1,024 characters.</param>
    /// <returns>The hash, in the format above (never the secret).</returns>
    /// <exception cref="ArgumentException">The secret is empty, longer than 1,024 characters, or not valid UTF-16.</exception>
    string Hash(ReadOnlySpan<char> secret);

    /// <summary>Checks <paramref name="secret"/> against a stored hash.</summary>
    /// <param name="secret">The secret presented; an empty, over-long or invalid one simply fails.</param>
    /// <param name="storedHash">A hash made by <see cref="Hash"/>.</param>
    /// <returns>Whether it matched, and whether the hash should be made again with the current iteration count.</returns>
    /// <exception cref="Errors.CredentialHashException">KI5101: the stored hash is malformed; KI5102: it is a legacy <c>sha256:</c> hash.</exception>
    CredentialCheck Verify(ReadOnlySpan<char> secret, string storedHash);
}
