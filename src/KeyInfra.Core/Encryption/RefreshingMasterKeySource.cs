using System.Diagnostics.Metrics;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;

namespace KeyInfra.Encryption;

/// <summary>
/// The base of a master key source that reads its keys from a secret store and reads them again on an interval, so a
/// rotated secret is picked up at run time: Vault, AWS, Azure… It loads the first ring, runs the refreshes one at a time
/// with the load, publishes what a refresh returns, keeps the last ring when a refresh fails, and records all of it in
/// <see cref="Status"/> (which <see cref="HealthChecks.MasterKeySourceHealthCheck"/> reports).
/// </summary>
/// <remarks>
/// <para>A source implements <see cref="ReadRingAsync"/> (the first ring; its failure fails the host's start) and
/// <see cref="RefreshRingAsync"/> (a new ring, or <c>null</c> when nothing changed). Both run under the source's lock,
/// which a source can also take for its own state (a token renewal) with <see cref="EnterAsync"/>. A refresh must keep
/// every key that data may still be wrapped under: it fails rather than drop one.</para>
/// <para>Thread-safe. Disposing stops the refreshes.</para>
/// </remarks>
public abstract class RefreshingMasterKeySource : MasterKeySourceBase, IOnDemandMasterKeySource
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _refreshInterval;
    private readonly Counter<long>? _reads;
    private readonly KeyValuePair<string, object?> _sourceTag;
    private MasterKeySourceStatus _status = MasterKeySourceStatus.Initial;
    private ITimer? _timer;
    private long _lastFetchTicks = long.MinValue;

    /// <summary>Creates the source.</summary>
    /// <param name="refreshInterval">How often the keys are read again; <see cref="TimeSpan.Zero"/> for never.</param>
    /// <param name="time">The clock and timers; the system's by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="refreshInterval"/> is negative.</exception>
    protected RefreshingMasterKeySource(TimeSpan refreshInterval, TimeProvider? time = null)
        : this(refreshInterval, time, meterFactory: null, sourceName: string.Empty)
    {
    }

    /// <summary>Creates the source, with its instruments on the <c>KeyInfra</c> meter of <paramref name="meterFactory"/>.</summary>
    /// <param name="refreshInterval">How often the keys are read again; <see cref="TimeSpan.Zero"/> for never.</param>
    /// <param name="time">The clock and timers; the system's by default.</param>
    /// <param name="meterFactory">The host's meter factory; <c>null</c> for no instruments.</param>
    /// <param name="sourceName">The source's name in the <see cref="KeyInfraInstruments.MasterKeySourceTag"/> tag (a fixed, lowercase word).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="refreshInterval"/> is negative.</exception>
    protected RefreshingMasterKeySource(TimeSpan refreshInterval, TimeProvider? time, IMeterFactory? meterFactory, string sourceName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(refreshInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(sourceName);
        _refreshInterval = refreshInterval;
        Time = time ?? TimeProvider.System;
        _sourceTag = new KeyValuePair<string, object?>(KeyInfraInstruments.MasterKeySourceTag, sourceName);
        if (meterFactory is not null)
        {
            var meter = meterFactory.Create(KeyInfraInstruments.MeterName);
            _reads = meter.CreateCounter<long>(KeyInfraInstruments.MasterKeySourceReads, "{read}", "Reads of a master key source's keys (the first load and each refresh), by outcome.");
            meter.CreateObservableGauge(KeyInfraInstruments.MasterKeySourceLastSuccessAge, ObserveLastSuccessAge, "s",
                "Seconds since the master key source last read its keys successfully; grows while refreshes fail.");
        }
    }

    /// <summary>What the source last did.</summary>
    public MasterKeySourceStatus Status => Volatile.Read(ref _status);

    /// <summary>The clock and timers the source runs on.</summary>
    protected TimeProvider Time { get; }

    /// <summary>Cancelled when the source is disposed: pass it to work that runs outside a caller's call.</summary>
    protected CancellationToken Stopping => _stopping.Token;

    /// <summary>Reads the keys again now (what the timer does) and publishes them if they changed. Never throws: a failure is in <see cref="Status"/>.</summary>
    /// <returns>A task that completes when the refresh has finished.</returns>
    public async Task RefreshAsync()
    {
        try
        {
            await _gate.WaitAsync(Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var ring = await RefreshRingAsync(Stopping).ConfigureAwait(false);
            if (ring is not null)
            {
                Publish(ring);
            }

            Succeeded(ring?.Current.Id ?? Status.CurrentKeyId);
            Count("refresh", null);
        }
        catch (MasterKeyException ex)
        {
            Failed(ex);
            Count("refresh", ex.ErrorCode);
            OnRefreshFailed(ex);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && _stopping.IsCancellationRequested)
        {
            // Disposed meanwhile.
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The shortest time between two reads on demand (<see cref="TryFetchAsync"/>): 10 seconds by default. A request inside it
    /// reads nothing and answers from the ring as it is.
    /// </summary>
    protected virtual TimeSpan OnDemandInterval => TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async ValueTask<bool> TryFetchAsync(string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        using (var lease = await AcquireRingAsync(cancellationToken).ConfigureAwait(false))
        {
            if (lease.Ring.Find(keyId) is not null)
            {
                return true;
            }
        }

        // One read per interval, whoever asks: the ids data names are not trusted.
        var now = Time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastFetchTicks);
        if ((last != long.MinValue && now - last < OnDemandInterval.Ticks) || Interlocked.CompareExchange(ref _lastFetchTicks, now, last) != last)
        {
            return false;
        }

        await RefreshAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        using var after = await AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        return after.Ring.Find(keyId) is not null;
    }

    /// <inheritdoc />
    protected sealed override async ValueTask<MasterKeyRing> LoadRingAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ring = await ReadRingAsync(cancellationToken).ConfigureAwait(false);
            Succeeded(ring.Current.Id);
            Count("load", null);
            if (_refreshInterval > TimeSpan.Zero && _timer is null)
            {
                _timer = Time.CreateTimer(_ => _ = RefreshAsync(), null, _refreshInterval, _refreshInterval);
            }

            return ring;
        }
        catch (MasterKeyException ex)
        {
            Failed(ex);
            Count("load", ex.ErrorCode);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads the first ring. Runs under the source's lock.</summary>
    /// <param name="cancellationToken">The token of the caller that triggered the load.</param>
    /// <returns>A new ring; the base publishes it.</returns>
    /// <exception cref="MasterKeyException">The keys cannot be read; the message says what to do.</exception>
    protected abstract Task<MasterKeyRing> ReadRingAsync(CancellationToken cancellationToken);

    /// <summary>Reads the keys again. Runs under the source's lock, from the timer or <see cref="RefreshAsync"/>.</summary>
    /// <param name="cancellationToken">Cancelled when the source is disposed.</param>
    /// <returns>A new ring to publish, or <c>null</c> when the keys did not change.</returns>
    /// <exception cref="MasterKeyException">The keys cannot be read; the last ring stays in use.</exception>
    protected abstract Task<MasterKeyRing?> RefreshRingAsync(CancellationToken cancellationToken);

    /// <summary>Called after a refresh failed (the last ring stays in use); a source logs it here.</summary>
    /// <param name="exception">The failure.</param>
    protected virtual void OnRefreshFailed(MasterKeyException exception)
    {
    }

    /// <summary>Takes the source's lock (the one loads and refreshes run under) for state of the source's own.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>Releases the lock when disposed.</returns>
    protected async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(_gate);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
            _timer?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Count(string kind, string? errorCode)
    {
        var kindTag = new KeyValuePair<string, object?>(KeyInfraInstruments.MasterKeySourceReadKindTag, kind);
        if (errorCode is null)
        {
            _reads?.Add(1, _sourceTag, kindTag);
        }
        else
        {
            _reads?.Add(1, _sourceTag, kindTag, new KeyValuePair<string, object?>(KeyInfraInstruments.ErrorTypeTag, errorCode));
        }
    }

    private IEnumerable<Measurement<double>> ObserveLastSuccessAge()
    {
        if (Status.LastSuccessAt is { } at)
        {
            yield return new Measurement<double>((Time.GetUtcNow() - at).TotalSeconds, _sourceTag);
        }
    }

    private void Succeeded(string? keyId) => Volatile.Write(ref _status, new MasterKeySourceStatus(keyId, Time.GetUtcNow(), null, null, null));

    private void Failed(MasterKeyException exception)
        => Volatile.Write(ref _status, Status with { LastFailureAt = Time.GetUtcNow(), LastErrorCode = exception.ErrorCode, LastErrorMessage = exception.Message });

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
