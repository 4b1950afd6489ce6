namespace KeyInfra;

/// <summary>Settings of the in-process caches of imported public keys and decrypted private keys.</summary>
public sealed class KeyCacheOptions
{
    /// <summary>
    /// How long an imported public key stays cached. Changes made in this process invalidate it at once;
    /// this bounds how long a change made by another process can go unseen when no notification reaches
    /// this one. Default: 5 minutes. Zero disables the cache.
    /// </summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an unknown key id is remembered as unknown. Default: 5 seconds. Zero disables it.</summary>
    public TimeSpan NegativeTimeToLive { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most keys cached. Default: 10,000.</summary>
    public int MaxEntries { get; set; } = 10_000;

    /// <summary>
    /// How long a decrypted private key stays in memory for signing (it is zeroed when it leaves).
    /// Default: 5 minutes. Zero decrypts on every signature.
    /// </summary>
    public TimeSpan SigningKeyTimeToLive { get; set; } = TimeSpan.FromMinutes(5);
}
