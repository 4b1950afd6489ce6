using System.Collections.Concurrent;
using System.Security.Cryptography;
using KeyInfra.Pkcs11.Diagnostics;
using KeyInfra.Pkcs11.Errors;
using KeyInfra.Pkcs11.Native;
using Microsoft.Extensions.Logging;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace KeyInfra.Pkcs11.Sessions;

/// <summary>
/// The sessions of one slot's token. Login state in PKCS#11 belongs to the token (for the whole application), not to a
/// session, and ends when the application's last session with the token closes: so the pool keeps one logged-in
/// session open for its whole life, and lends every concurrent operation a session of its own (sessions are not safe
/// to share between threads) from a bounded set. <c>CKR_USER_ALREADY_LOGGED_IN</c> is success.
/// </summary>
/// <remarks>
/// <para>When a call fails because the session or the login is gone or the token went away (<c>CKR_SESSION_HANDLE_INVALID</c>,
/// <c>CKR_USER_NOT_LOGGED_IN</c>, <c>CKR_DEVICE_REMOVED</c>, <c>CKR_TOKEN_NOT_PRESENT</c>, …) the pool renews itself once
/// (finds the token again by label or serial, opens a new logged-in session, bumps its generation so object handles are
/// found again) and retries the operation once.</para>
/// <para>A wrong PIN (<c>CKR_PIN_INCORRECT</c>) or a locked one is never tried again: the pool fails every later
/// operation with the same error, without calling <c>C_Login</c>, until it is replaced (a new PIN).</para>
/// <para>The PIN is asked for (decrypted) only to log in, and zeroed right after. Thread-safe.</para>
/// </remarks>
internal sealed class TokenSessionPool : IDisposable
{
    private readonly Pkcs11Module.Lease _module;
    private readonly TokenSelector _token;
    private readonly Func<CancellationToken, ValueTask<byte[]>> _pin;
    private readonly SemaphoreSlim _permits;
    private readonly SemaphoreSlim _renewGate = new(1, 1);
    private readonly ConcurrentBag<(ISession Session, int Generation)> _idle = [];
    private readonly Pkcs11Metrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeSpan _waitTimeout;
    private readonly bool _serializeObjectChanges;
    private volatile string? _tokenKey;
    private ISlot? _slot;
    private ISession? _loginSession;
    private volatile HsmException? _failure;
    private volatile int _generation;
    private int _open;
    private int _inUse;
    private volatile bool _disposed;

    public TokenSessionPool(
        Pkcs11Module.Lease module, string description, TokenSelector token, Func<CancellationToken, ValueTask<byte[]>> pin,
        Pkcs11Options options, Pkcs11Metrics metrics, ILogger logger)
    {
        _module = module;
        Description = description;
        _token = token;
        _pin = pin;
        _permits = new SemaphoreSlim(options.MaxSessionsPerToken, options.MaxSessionsPerToken);
        _waitTimeout = options.SessionWaitTimeout;
        _serializeObjectChanges = options.SerializeObjectChanges;
        _metrics = metrics;
        _logger = logger;
        metrics.Observe(this, () => (Volatile.Read(ref _open) + (_loginSession is null ? 0 : 1), Volatile.Read(ref _inUse)));
    }

    /// <summary>The slot and module, for messages and logs (never the PIN).</summary>
    public string Description { get; }

    /// <summary>Sessions open for operations, not counting the logged-in session.</summary>
    public int OpenSessions => Volatile.Read(ref _open);

    /// <summary>Sessions lent to operations now.</summary>
    public int SessionsInUse => Volatile.Read(ref _inUse);

    /// <summary>Finds the token and logs in, if that is not done yet.</summary>
    /// <exception cref="HsmException">KI6004 no such token; KI6005/KI6006 the PIN; KI6007 the token went away; KI6017 the PIN does not decrypt.</exception>
    public async ValueTask EnsureReadyAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        if (_loginSession is not null)
        {
            return;
        }

        try
        {
            await RenewAsync(_generation, initial: true, cancellationToken).ConfigureAwait(false);
        }
        catch (HsmException e) when (e.ErrorCode == Pkcs11ErrorCodes.TokenNotFound && _generation > 0)
        {
            // The pool had the token before: it went away and has not come back.
            throw Unavailable(null, e);
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> with a session of its own. On a lost session, login or token, renews the pool
    /// once and runs it once more.
    /// </summary>
    /// <exception cref="HsmException">The pool cannot log in, no session became free in time, or the token is gone.</exception>
    /// <exception cref="Pkcs11Exception">The operation's own PKCS#11 error, for the caller to map (already counted in the metrics).</exception>
    public async ValueTask<T> RunAsync<T>(Func<PooledSession, T> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ThrowIfUnusable();
        if (!_permits.Wait(0, CancellationToken.None))
        {
            _metrics.Waited();
            if (!await _permits.WaitAsync(_waitTimeout, cancellationToken).ConfigureAwait(false))
            {
                throw new HsmException(Pkcs11ErrorCodes.SessionPoolExhausted,
                    $"No session of {Description} became free within {_waitTimeout.TotalSeconds:0.#} s: every one of its sessions was in use. Raise Pkcs11Options.MaxSessionsPerToken (within the token's session limit) or SessionWaitTimeout, or send fewer concurrent signatures.");
            }
        }

        Interlocked.Increment(ref _inUse);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
                var generation = _generation;
                ISession session;
                var slot = _slot ?? throw Unavailable(null);
                try
                {
                    session = Rent(generation);
                }
                catch (Pkcs11Exception e) when (ReturnValues.NeedsRenewal(e.RV) && attempt == 0)
                {
                    _metrics.Failed(e.RV);
                    await RenewAfterFailureAsync(generation, e, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    var result = operation(new PooledSession(session, generation, slot, _token, _module.Module.Factories));
                    Return(session, generation);
                    return result;
                }
                catch (Pkcs11Exception e)
                {
                    _metrics.Failed(e.RV);
                    if (ReturnValues.PoisonsSession(e.RV))
                    {
                        Discard(session);
                    }
                    else
                    {
                        Return(session, generation);
                    }

                    if (ReturnValues.NeedsRenewal(e.RV) && attempt == 0)
                    {
                        await RenewAfterFailureAsync(generation, e, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    if (ReturnValues.NeedsRenewal(e.RV))
                    {
                        throw Unavailable(e);
                    }

                    throw;
                }
                catch
                {
                    Return(session, generation);
                    throw;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inUse);
            _permits.Release();
        }
    }

    /// <summary>
    /// Runs an <paramref name="operation"/> that creates or destroys token objects like <see cref="RunAsync"/>, one at a
    /// time per token in the process when <see cref="Pkcs11Options.SerializeObjectChanges"/> is on.
    /// </summary>
    public async ValueTask<T> RunChangingObjectsAsync<T>(Func<PooledSession, T> operation, CancellationToken cancellationToken)
    {
        if (!_serializeObjectChanges)
        {
            return await RunAsync(operation, cancellationToken).ConfigureAwait(false);
        }

        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var gate = _module.Module.ObjectGate(_tokenKey ?? throw Unavailable(null));
        if (!await gate.WaitAsync(_waitTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new HsmException(Pkcs11ErrorCodes.SessionPoolExhausted,
                $"Another key generation in the token of {Description} did not finish within {_waitTimeout.TotalSeconds:0.#} s (Pkcs11Options.SerializeObjectChanges makes them one at a time per token). Try again, raise SessionWaitTimeout, or turn SerializeObjectChanges off for an HSM that supports concurrent generation.");
        }

        try
        {
            return await RunAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The token's information, read now (for a health check or a slot test).</summary>
    /// <exception cref="HsmException">The token cannot be reached or described.</exception>
    public async ValueTask<(ITokenInfo Token, bool LoggedIn)> DescribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(pooled =>
            {
                var state = pooled.Session.GetSessionInfo().State;
                return (pooled.Slot.GetTokenInfo(), state is CKS.CKS_RO_USER_FUNCTIONS or CKS.CKS_RW_USER_FUNCTIONS);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Pkcs11Exception e)
        {
            throw ReturnValues.ToHsmException(Description, e);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _metrics.StopObserving(this);
        CloseAll();
        _module.Dispose();
    }

    private ISession Rent(int generation)
    {
        while (_idle.TryTake(out var idle))
        {
            if (idle.Generation == generation)
            {
                return idle.Session;
            }

            Discard(idle.Session);
        }

        var slot = _slot ?? throw Unavailable(null);
        var session = slot.OpenSession(SessionType.ReadWrite);
        Interlocked.Increment(ref _open);
        return session;
    }

    private void Return(ISession session, int generation)
    {
        if (_disposed || generation != _generation)
        {
            Discard(session);
            return;
        }

        _idle.Add((session, generation));
    }

    private void Discard(ISession session)
    {
        Interlocked.Decrement(ref _open);
        try
        {
            session.Dispose();
        }
        catch (Pkcs11Exception)
        {
            // Already closed (the token went away, or the pool was renewed).
        }
    }

    private async ValueTask RenewAfterFailureAsync(int generation, Pkcs11Exception cause, CancellationToken cancellationToken)
    {
        Log.PoolRenewing(_logger, Description, cause.RV.ToString());
        try
        {
            await RenewAsync(generation, initial: false, cancellationToken).ConfigureAwait(false);
        }
        catch (HsmException e) when (e.ErrorCode == Pkcs11ErrorCodes.TokenNotFound)
        {
            throw Unavailable(cause, e);
        }
    }

    // Finds the token again and logs in on a new session, unless another caller renewed since `staleGeneration`.
    private async ValueTask RenewAsync(int staleGeneration, bool initial, CancellationToken cancellationToken)
    {
        await _renewGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfUnusable();
            if (_generation != staleGeneration || (initial && _loginSession is not null))
            {
                return;
            }

            if (!initial)
            {
                _metrics.Renewed();
            }

            CloseAll();
            var slot = FindSlot();
            var session = slot.OpenSession(SessionType.ReadWrite);
            try
            {
                var token = slot.GetTokenInfo();
                _tokenKey = $"{token.SerialNumber}\n{token.Label}";
                await LoginAsync(session, _tokenKey, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                TryClose(session);
                throw;
            }

            _slot = slot;
            _loginSession = session;
            _generation = staleGeneration + 1;
            Log.PoolLoggedIn(_logger, Description, slot.SlotId);
        }
        catch (Pkcs11Exception e)
        {
            _metrics.Failed(e.RV);
            throw ReturnValues.NeedsRenewal(e.RV) ? Unavailable(e) : Failed("open a session with", e);
        }
        finally
        {
            _renewGate.Release();
        }
    }

    private ISlot FindSlot()
    {
        ISlot? found = null;
        var matches = 0;
        foreach (var slot in _module.Module.Library.GetSlotList(SlotsType.WithTokenPresent))
        {
            ITokenInfo info;
            try
            {
                info = slot.GetTokenInfo();
            }
            catch (Pkcs11Exception e)
            {
                // A slot whose token cannot describe itself is not the token (SoftHSM2 answers CKR_GENERAL_ERROR for a
                // token deleted while the module is loaded; hardware answers CKR_TOKEN_NOT_PRESENT or CKR_DEVICE_REMOVED).
                _metrics.Failed(e.RV);
                continue;
            }

            if (info.TokenFlags.TokenInitialized && _token.Matches(info.Label, info.SerialNumber))
            {
                found = slot;
                matches++;
            }
        }

        if (matches == 1)
        {
            return found!;
        }

        throw new HsmException(Pkcs11ErrorCodes.TokenNotFound, matches == 0
            ? $"No initialised token with {_token} is present in {Description}. Check the slot's token label or serial (softhsm2-util --show-slots, pkcs11-tool -L) and that the token is inserted."
            : $"{matches} tokens with {_token} are present in {Description}; KeyInfra will not guess which one holds the keys. Give each token a label of its own, or name the slot's token by serial number.");
    }

    private async ValueTask LoginAsync(ISession session, string token, CancellationToken cancellationToken)
    {
        byte[] pin;
        try
        {
            pin = await _pin(cancellationToken).ConfigureAwait(false);
        }
        catch (HsmException e)
        {
            // A PIN that does not decrypt for this row will not decrypt next time either.
            _failure = e;
            throw;
        }

        var module = _module.Module;
        byte[]? pinHash = null;
        try
        {
            lock (module.LoginGate)
            {
                try
                {
                    pinHash = module.HashPin(pin);
                    session.Login(CKU.CKU_USER, pin);
                    module.RememberLogin(token, pinHash);
                }
                catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
                {
                    // The token is logged in for this process already, and C_Login did not look at the PIN: it must be the one
                    // that logged the token in, or this slot would work with any PIN.
                    switch (module.MatchesLogin(token, pinHash!))
                    {
                        case true:
                            break;
                        case false:
                            _metrics.Failed(CKR.CKR_PIN_INCORRECT);
                            Log.PinRefused(_logger, Description, "CKR_USER_ALREADY_LOGGED_IN with another PIN");
                            throw Sticky(new HsmException(Pkcs11ErrorCodes.PinIncorrect,
                                $"The slot's user PIN for the token of {Description} is not the PIN this process is logged in to that token with (another slot of the same token logged it in). KeyInfra does not use a slot whose PIN it cannot check: set the right PIN for the slot.",
                                CKR.CKR_PIN_INCORRECT.ToString(), e));
                        default:
                            throw Sticky(new HsmException(Pkcs11ErrorCodes.PinUnverifiable,
                                $"The token of {Description} is already logged in by something in this process other than KeyInfra, so the token did not check the slot's user PIN and KeyInfra cannot either. KeyInfra does not use a slot whose PIN it cannot check: let KeyInfra be the only user of the module in this process.",
                                e.RV.ToString(), e));
                    }
                }
                catch (Pkcs11Exception e) when (e.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LEN_RANGE)
                {
                    _metrics.Failed(e.RV);
                    Log.PinRefused(_logger, Description, e.RV.ToString());
                    throw Sticky(new HsmException(Pkcs11ErrorCodes.PinIncorrect,
                        $"The token of {Description} refused the slot's user PIN ({e.RV}). KeyInfra does not try it again (each try counts towards the token's lockout): set the right PIN for the slot, then restart or replace the slot.",
                        e.RV.ToString(), e));
                }
                catch (Pkcs11Exception e) when (e.RV is CKR.CKR_PIN_LOCKED or CKR.CKR_PIN_EXPIRED or CKR.CKR_PIN_INVALID or CKR.CKR_USER_PIN_NOT_INITIALIZED)
                {
                    _metrics.Failed(e.RV);
                    Log.PinRefused(_logger, Description, e.RV.ToString());
                    throw Sticky(new HsmException(Pkcs11ErrorCodes.PinLocked,
                        $"The token of {Description} cannot be logged in to with the slot's user PIN: {e.RV}. Have the token's security officer unlock or reset the user PIN, then set it for the slot.",
                        e.RV.ToString(), e));
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pin);
            if (pinHash is not null)
            {
                CryptographicOperations.ZeroMemory(pinHash);
            }
        }
    }

    private HsmException Sticky(HsmException failure)
    {
        _failure = failure;
        return failure;
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is { } failure)
        {
            throw new HsmException(failure.ErrorCode, failure.Message[(failure.ErrorCode.Length + 2)..], failure.ReturnValue, failure);
        }
    }

    private HsmException Unavailable(Pkcs11Exception? cause, Exception? inner = null)
        => new(Pkcs11ErrorCodes.TokenUnavailable,
            $"The token of {Description} is not available{(cause is null ? "" : $" ({cause.RV})")}: it was removed or deleted, or the device failed, and it was not found again. Insert or restore the token; the pool logs in again on the next operation.",
            cause?.RV.ToString(), inner ?? cause);

    private HsmException Failed(string what, Pkcs11Exception e)
        => new(Pkcs11ErrorCodes.OperationFailed, $"Could not {what} the token of {Description}: {e.Method} returned {e.RV}.", e.RV.ToString(), e);

    private void CloseAll()
    {
        while (_idle.TryTake(out var idle))
        {
            Discard(idle.Session);
        }

        if (_loginSession is { } login)
        {
            _loginSession = null;
            TryClose(login);
        }
    }

    private static void TryClose(ISession session)
    {
        try
        {
            session.Dispose();
        }
        catch (Pkcs11Exception)
        {
            // The token or the session is gone already.
        }
    }
}
