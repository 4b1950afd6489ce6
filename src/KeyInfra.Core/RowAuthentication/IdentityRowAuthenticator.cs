using System.Security.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using Microsoft.Extensions.Logging;

namespace KeyInfra.RowAuthentication;

/// <summary>
/// Makes and checks the MACs of the rows that decide access (<see cref="IdentityRowEncoding"/>): HMAC-SHA256 under the
/// master key's <see cref="MasterKeyPurpose.IdentityRows"/> subkey. A row that fails is logged at Error and treated as
/// absent: a tampered grant grants nothing, a tampered user or credential signs in as nobody.
/// </summary>
/// <remarks>
/// The identity tables are new in the release that authenticates them, so there is no migrating state: with a master key
/// source every row must carry a valid MAC. Without one there is nothing to authenticate with: rows are written and read
/// unauthenticated, and a Warning says so once. Thread-safe.
/// </remarks>
internal sealed class IdentityRowAuthenticator(IEncryptionKeyProvider? keyProvider, MasterKeyValidator? validator, ILogger<IdentityRowAuthenticator> logger)
{
    private const int MacSize = 32;
    private int _unavailableLogged;

    /// <summary>The MAC of an encoded row under the current master key, and that key's id; both <c>null</c> without a key source.</summary>
    public async ValueTask<(byte[]? Mac, string? MasterKeyId)> SealAsync(byte[] encoded, CancellationToken cancellationToken)
    {
        if (keyProvider is null || validator is null)
        {
            LogUnavailable();
            return (null, null);
        }

        using var lease = await keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        await validator.EnsureValidatedAsync(lease.Ring, cancellationToken).ConfigureAwait(false);
        var key = lease.Ring.Current;
        return (HMACSHA256.HashData(key.Subkey(MasterKeyPurpose.IdentityRows), encoded), key.Id);
    }

    /// <summary>The id of the master key rows are sealed under now; <c>null</c> without a key source.</summary>
    public async ValueTask<string?> CurrentMasterKeyIdAsync(CancellationToken cancellationToken)
    {
        if (keyProvider is null)
        {
            return null;
        }

        using var lease = await keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        return lease.Ring.Current.Id;
    }

    /// <summary>Whether a row is authentic; logs a refusal at Error naming <paramref name="row"/> (never a secret).</summary>
    public async ValueTask<bool> IsAuthenticAsync(byte[] encoded, byte[]? mac, string? masterKeyId, string row, CancellationToken cancellationToken)
    {
        if (keyProvider is null || validator is null)
        {
            LogUnavailable();
            return true;
        }

        if (mac is not { Length: MacSize } || masterKeyId is null)
        {
            Log.IdentityRowRefused(logger, row, "it has no MAC or a malformed one");
            return false;
        }

        using var lease = await MasterKeyLeases.WithKeyAsync(
            keyProvider, await keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false), masterKeyId, cancellationToken).ConfigureAwait(false);
        await validator.EnsureValidatedAsync(lease.Ring, cancellationToken).ConfigureAwait(false);
        if (lease.Ring.Find(masterKeyId) is not { } key)
        {
            Log.IdentityRowRefused(logger, row, $"its MAC was made by master key '{masterKeyId}', which the key source does not provide");
            return false;
        }

        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key.Subkey(MasterKeyPurpose.IdentityRows), encoded), mac))
        {
            Log.IdentityRowRefused(logger, row, "its MAC does not match its fields");
            return false;
        }

        return true;
    }

    private void LogUnavailable()
    {
        if (Interlocked.Exchange(ref _unavailableLogged, 1) == 0)
        {
            Log.IdentityRowAuthenticationUnavailable(logger);
        }
    }
}
