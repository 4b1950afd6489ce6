using System.Diagnostics.Metrics;
using System.Net;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.KeySources.Vault.Client;
using KeyInfra.KeySources.Vault.Diagnostics;
using KeyInfra.KeySources.Vault.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace KeyInfra.KeySources.Vault;

/// <summary>
/// The master key source of <c>UseVaultMasterKey()</c>: the ring read from a Vault KV v2 secret (the current version and
/// older ones), read again on <see cref="VaultMasterKeyOptions.RefreshInterval"/>, with the AppRole token renewed before
/// its lease ends.
/// </summary>
/// <remarks>
/// <para>A refresh that finds a new version publishes a new ring: the new version becomes current and every version the
/// process used stays as a previous key (a refresh fails rather than drop one that Vault no longer has). A refresh that
/// fails keeps the last ring, is logged (event 5002), counted by the base's instruments, and shows in <c>Status</c> and the
/// health check. The
/// first load failing fails the host's start (KI7001–KI7005, KI2002).</para>
/// <para>Thread-safe: loads, refreshes and token renewals run one at a time, under the base's lock.</para>
/// </remarks>
internal sealed class VaultMasterKeySource : RefreshingMasterKeySource
{
    private readonly IOptions<VaultMasterKeyOptions> _options;
    private readonly IHttpClientFactory _httpClients;
    private readonly ILogger<VaultMasterKeySource> _logger;
    private readonly VaultMetrics _metrics;
    private SortedSet<int> _versions = [];
    private int _currentVersion;
    private VaultLogin? _login;
    private ITimer? _renewTimer;

    public VaultMasterKeySource(IOptions<VaultMasterKeyOptions> options, IHttpClientFactory httpClients, ILogger<VaultMasterKeySource> logger, IMeterFactory meterFactory, TimeProvider? time = null)
        : base(options.Value.RefreshInterval, time, meterFactory, "vault")
    {
        _options = options;
        _httpClients = httpClients;
        _logger = logger;
        _metrics = new VaultMetrics(meterFactory, () => Volatile.Read(ref _currentVersion));
    }

    /// <summary>The secret's version that is the current key; 0 before the first read.</summary>
    public int CurrentVersion => Volatile.Read(ref _currentVersion);

    protected override async Task<MasterKeyRing> ReadRingAsync(CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var secret = VaultClient.Describe(options);
        var current = await ReadCurrentAsync(options, cancellationToken).ConfigureAwait(false);
        var (ring, versions) = await RingAsync(options, current, keep: [], cancellationToken).ConfigureAwait(false);
        _versions = versions;
        Volatile.Write(ref _currentVersion, current.Version);
        Log.Loaded(_logger, secret, current.Version, ring.Current.Id, ring.PreviousCount);
        return ring;
    }

    protected override async Task<MasterKeyRing?> RefreshRingAsync(CancellationToken cancellationToken)
    {
        var options = _options.Value;
        var secret = VaultClient.Describe(options);
        var current = await ReadCurrentAsync(options, cancellationToken).ConfigureAwait(false);
        if (current.Version == CurrentVersion && string.Equals(current.Key.Id, Status.CurrentKeyId, StringComparison.Ordinal))
        {
            current.Key.Dispose();
            return null;
        }

        var oldVersion = CurrentVersion;
        var (ring, versions) = await RingAsync(options, current, _versions, cancellationToken).ConfigureAwait(false);
        _versions = versions;
        Volatile.Write(ref _currentVersion, current.Version);
        Log.NewVersion(_logger, secret, current.Version, ring.Current.Id, oldVersion);
        return ring;
    }

    protected override void OnRefreshFailed(MasterKeyException exception)
    {
        var secret = VaultClient.Describe(_options.Value);
        Log.RefreshFailed(_logger, secret, exception.ErrorCode, exception.Message);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _renewTimer?.Dispose();
            _metrics.Dispose();
        }

        base.Dispose(disposing);
    }

    private VaultClient Client() => new(_httpClients.CreateClient(VaultClient.HttpClientName));

    private Task<VaultSecretKey> ReadCurrentAsync(VaultMasterKeyOptions options, CancellationToken cancellationToken)
        => WithTokenAsync(options, token => Client().ReadKeyAsync(options, token, options.Version, cancellationToken), cancellationToken);

    // The ring of the current version (the ring owns its key) and the older ones wanted: the configured number, and
    // every version this process used.
    private async Task<(MasterKeyRing Ring, SortedSet<int> Versions)> RingAsync(VaultMasterKeyOptions options, VaultSecretKey current, IReadOnlyCollection<int> keep, CancellationToken cancellationToken)
    {
        var secret = VaultClient.Describe(options);
        var keys = new List<MasterKey> { current.Key };
        var versions = new SortedSet<int> { current.Version };
        try
        {
            var wanted = new SortedSet<int>(keep);
            for (var v = current.Version - 1; v >= 1 && v >= current.Version - options.PreviousVersions; v--)
            {
                wanted.Add(v);
            }

            wanted.Remove(current.Version);
            foreach (var version in wanted.Reverse())
            {
                VaultSecretKey older;
                try
                {
                    older = await WithTokenAsync(options, token => Client().ReadKeyAsync(options, token, version, cancellationToken), cancellationToken).ConfigureAwait(false);
                }
                catch (MasterKeyException ex) when (ex.ErrorCode == VaultErrorCodes.SecretNotFound && !keep.Contains(version))
                {
                    Log.PreviousVersionMissing(_logger, secret, version);
                    continue;
                }

                if (keys.Exists(k => string.Equals(k.Id, older.Key.Id, StringComparison.Ordinal)))
                {
                    // The same key written again as a newer version: one key, one entry in the ring.
                    older.Key.Dispose();
                    versions.Add(version);
                    continue;
                }

                keys.Add(older.Key);
                versions.Add(version);
            }

            return (new MasterKeyRing(keys[0], keys.Skip(1)), versions);
        }
        catch
        {
            keys.ForEach(k => k.Dispose());
            throw;
        }
    }

    // Runs a call with the token; with AppRole, logs in first if needed and once more if Vault says the token is no good.
    private async Task<T> WithTokenAsync<T>(VaultMasterKeyOptions options, Func<string, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            var token = await TokenAsync(options, cancellationToken).ConfigureAwait(false);
            try
            {
                return await call(token).ConfigureAwait(false);
            }
            catch (VaultRequestException ex) when (ex.Status == HttpStatusCode.Forbidden && options.Token is null)
            {
                _login = null;
                token = await TokenAsync(options, cancellationToken).ConfigureAwait(false);
                return await call(token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (Translate(ex, options) is { } translated)
        {
            throw translated;
        }
    }

    private async Task<string> TokenAsync(VaultMasterKeyOptions options, CancellationToken cancellationToken)
    {
        if (options.Token is { } token)
        {
            return token;
        }

        if (_login is { } login)
        {
            return login.Token;
        }

        try
        {
            login = await Client().LoginAppRoleAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (VaultRequestException ex) when (ex.Status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new MasterKeyException(VaultErrorCodes.PermissionDenied,
                $"Vault refused the AppRole login at auth/{options.AppRoleMount} ({(int)ex.Status}: {string.Join("; ", ex.Errors)}). Check VaultMasterKeyOptions.AppRoleRoleId and AppRoleSecretId (a secret id may have expired or run out of uses).", ex);
        }

        _login = login;
        Log.LoggedIn(_logger, options.AppRoleMount, login.LeaseSeconds, login.Renewable);
        ScheduleRenewal(login);
        return login.Token;
    }

    // Before two thirds of the lease have passed: a renewal that fails leaves a third of it to log in again.
    private void ScheduleRenewal(VaultLogin login)
    {
        _renewTimer?.Dispose();
        _renewTimer = null;
        if (login.Renewable && login.LeaseSeconds > 0)
        {
            _renewTimer = Time.CreateTimer(_ => _ = RenewAsync(login), null, TimeSpan.FromSeconds(login.LeaseSeconds * 2.0 / 3.0), Timeout.InfiniteTimeSpan);
        }
    }

    private async Task RenewAsync(VaultLogin login)
    {
        var options = _options.Value;
        IDisposable held;
        try
        {
            held = await EnterAsync(Stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        using (held)
        {
            if (!ReferenceEquals(_login, login))
            {
                return;
            }

            try
            {
                var renewed = await Client().RenewSelfAsync(options, login.Token, Stopping).ConfigureAwait(false);
                _login = renewed;
                _metrics.Renewal(succeeded: true);
                Log.TokenRenewed(_logger, renewed.LeaseSeconds);
                ScheduleRenewal(renewed);
            }
            catch (Exception ex) when (!Stopping.IsCancellationRequested)
            {
                // Log in again on the next read rather than keep a token about to expire.
                _login = null;
                _metrics.Renewal(succeeded: false);
                var translated = Translate(ex, options) ?? ex;
                Log.TokenRenewalFailed(_logger, (translated as KeyInfraException)?.ErrorCode ?? VaultErrorCodes.BadResponse, translated.Message);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                // Stopping.
            }
        }
    }

    private static MasterKeyException? Translate(Exception exception, VaultMasterKeyOptions options)
    {
        var secret = VaultClient.Describe(options);
        return exception switch
        {
            MasterKeyException => null,
            VaultRequestException { Status: HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized } ex => new MasterKeyException(VaultErrorCodes.PermissionDenied,
                $"Vault refused to read {secret} ({(int)ex.Status}: {string.Join("; ", ex.Errors)}). Check that the token is valid and its policy grants \"read\" on {options.Mount}/data/{options.Path}.", ex),
            VaultRequestException { Status: HttpStatusCode.NotFound } ex => new MasterKeyException(VaultErrorCodes.SecretNotFound,
                $"Vault has no secret {options.Mount}/{options.Path}{(options.Version is { } v ? $" version {v}" : string.Empty)} (404), or the version is deleted. Check VaultMasterKeyOptions.Mount, Path and Version.", ex),
            VaultRequestException { Status: HttpStatusCode.ServiceUnavailable } ex => new MasterKeyException(VaultErrorCodes.Sealed,
                $"Vault is sealed or not ready (503: {string.Join("; ", ex.Errors)}); the master key in {secret} cannot be read until it is unsealed.", ex),
            VaultRequestException ex => new MasterKeyException(VaultErrorCodes.BadResponse, $"Vault answered {(int)ex.Status} reading {secret}: {string.Join("; ", ex.Errors)}.", ex),
            HttpRequestException or TimeoutRejectedException or TaskCanceledException { InnerException: TimeoutException } => new MasterKeyException(VaultErrorCodes.Unreachable,
                $"Vault at {options.Address} could not be reached to read {secret} ({exception.Message}). Check VaultMasterKeyOptions.Address, the network and, for TLS, CaCertificatePath.", exception),
            _ => null,
        };
    }
}
