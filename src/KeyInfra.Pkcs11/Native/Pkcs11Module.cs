using System.Security.Cryptography;
using KeyInfra.Pkcs11.Errors;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace KeyInfra.Pkcs11.Native;

/// <summary>
/// A PKCS#11 library loaded and initialised once per process, whatever number of hosts use it: <c>C_Initialize</c>
/// with OS locking (<see cref="AppType.MultiThreaded"/>; without <c>CKF_OS_LOCKING_OK</c> SoftHSM2 turns its own
/// locking off and crashes under concurrency) when the first lease is taken, <c>C_Finalize</c> once when the last is
/// released. PKCS#11 allows one initialisation per process, so hosts in one process share it.
/// </summary>
/// <remarks>Thread-safe. The path must be allowed by the caller (<see cref="ModulePaths.IsAllowed"/>) before it gets here.</remarks>
internal sealed class Pkcs11Module
{
    private static readonly Dictionary<string, Pkcs11Module> s_loaded = new(StringComparer.Ordinal);
    private static readonly Lock s_gate = new();

    // PKCS#11 keeps the login state of a token for the whole process: once one session is logged in, C_Login answers
    // CKR_USER_ALREADY_LOGGED_IN whatever PIN it is given. So the module remembers, per token, a keyed hash of the PIN
    // that logged in (the key is random and never leaves this object), and a login that finds the token logged in
    // must present that PIN. Otherwise a slot added with a wrong PIN would work while another slot keeps the token
    // logged in, and a tenant could reach another tenant's token without its PIN.
    private readonly byte[] _pinHashKey = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<string, byte[]> _loginPins = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _objectGates = new(StringComparer.Ordinal);
    private int _leases;

    private Pkcs11Module(string path, IPkcs11Library library, Pkcs11InteropFactories factories)
    {
        Path = path;
        Library = library;
        Factories = factories;
    }

    public string Path { get; }

    public IPkcs11Library Library { get; }

    public Pkcs11InteropFactories Factories { get; }

    /// <summary>
    /// Held around a <c>C_Login</c> and the record of its PIN, so that a pool meeting <c>CKR_USER_ALREADY_LOGGED_IN</c>
    /// never looks for the PIN between another pool's login and its record.
    /// </summary>
    public Lock LoginGate { get; } = new();

    /// <summary>
    /// One per token of this module (by serial and label), held around a creation or destruction of token objects when
    /// <see cref="Pkcs11Options.SerializeObjectChanges"/> is on; shared by every pool of the process on that token.
    /// </summary>
    public SemaphoreSlim ObjectGate(string token) => _objectGates.GetOrAdd(token, static _ => new SemaphoreSlim(1, 1));

    /// <summary>The keyed hash under which <see cref="RememberLogin"/> and <see cref="MatchesLogin"/> compare PINs.</summary>
    public byte[] HashPin(ReadOnlySpan<byte> pin) => HMACSHA256.HashData(_pinHashKey, pin);

    /// <summary>Records that <paramref name="token"/> was logged in to with the PIN of <paramref name="pinHash"/> (a <see cref="HashPin"/> value).</summary>
    public void RememberLogin(string token, byte[] pinHash)
    {
        lock (LoginGate)
        {
            _loginPins[token] = pinHash.ToArray();
        }
    }

    /// <summary>
    /// Whether a token found already logged in was logged in to with the PIN of <paramref name="pinHash"/> (constant
    /// time); <c>null</c> when this module did not log it in (something else in the process did).
    /// </summary>
    public bool? MatchesLogin(string token, byte[] pinHash)
    {
        lock (LoginGate)
        {
            return _loginPins.TryGetValue(token, out var known) ? CryptographicOperations.FixedTimeEquals(known, pinHash) : null;
        }
    }

    /// <summary>Loads (or shares) the library at <paramref name="path"/>; release the lease when done.</summary>
    /// <exception cref="HsmException">KI6002 the library cannot be loaded; KI6003 it is not a PKCS#11 module.</exception>
    public static Lease Acquire(string path, string moduleName)
    {
        lock (s_gate)
        {
            if (!s_loaded.TryGetValue(path, out var module))
            {
                module = Load(path, moduleName);
                s_loaded.Add(path, module);
            }

            module._leases++;
            return new Lease(module);
        }
    }

    private static Pkcs11Module Load(string path, string moduleName)
    {
        if (!File.Exists(path))
        {
            throw new HsmException(Pkcs11ErrorCodes.ModuleLoadFailed,
                $"The PKCS#11 library of module '{moduleName}' does not exist: no file at {path}. Install the vendor's PKCS#11 library there, or correct the module's path and the host's AllowedModulePaths.");
        }

        Pkcs11InteropResolver.EnsureInstalled();
        var factories = new Pkcs11InteropFactories();
        try
        {
            var library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, path, AppType.MultiThreaded);
            return new Pkcs11Module(path, library, factories);
        }
        catch (Pkcs11Exception e)
        {
            throw new HsmException(Pkcs11ErrorCodes.NotPkcs11Module,
                $"The PKCS#11 library of module '{moduleName}' ({path}) loaded, but {e.Method} failed with {e.RV}. Check the module's own configuration (for SoftHSM2: SOFTHSM2_CONF must be set in the environment before the process starts).",
                e.RV.ToString(), e);
        }
        catch (UnmanagedException e) when (e.Message.Contains("C_GetFunctionList", StringComparison.Ordinal))
        {
            throw new HsmException(Pkcs11ErrorCodes.NotPkcs11Module,
                $"The library of module '{moduleName}' ({path}) is not a PKCS#11 module: it has no C_GetFunctionList. Point the module at the vendor's PKCS#11 library.", null, e);
        }
        catch (Exception e) when (e is UnmanagedException or DllNotFoundException or BadImageFormatException or EntryPointNotFoundException or LibraryArchitectureException)
        {
            throw new HsmException(Pkcs11ErrorCodes.ModuleLoadFailed,
                $"The PKCS#11 library of module '{moduleName}' ({path}) could not be loaded ({e.GetType().Name}: {e.Message}). Check that it is a library for this platform and that its dependencies are installed.", null, e);
        }
    }

    private void Release()
    {
        lock (s_gate)
        {
            if (--_leases > 0)
            {
                return;
            }

            s_loaded.Remove(Path);

            // C_Finalize and unload, once, when no host of the process uses the module any more.
            Library.Dispose();
        }
    }

    /// <summary>A host's use of the module; disposing it releases the use once.</summary>
    internal sealed class Lease(Pkcs11Module module) : IDisposable
    {
        private int _released;

        public Pkcs11Module Module => module;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                module.Release();
            }
        }
    }
}
