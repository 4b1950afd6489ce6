using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace KeyInfra.Benchmarks;

/// <summary>
/// The seed system's way of signing with an HSM key, written with Pkcs11Interop directly: for every signature, open a
/// session, log in with the PIN, find the key object by its label, sign, and close the session (closing the
/// application's last session with the token logs it out, so the next signature logs in again).
/// </summary>
/// <remarks>
/// <c>CKR_USER_ALREADY_LOGGED_IN</c> counts as a login (PKCS#11 login state is per token and application: under
/// concurrency another caller's session may hold it), as the seed system had to for concurrent callers. No C_Logout:
/// it would log out every concurrent caller. The key pair is generated in the token by <see cref="Create"/> and
/// destroyed by <see cref="Dispose"/>. Thread-safe: each signature has its own session.
/// </remarks>
public sealed class SeedHsmSigner : IDisposable
{
    /// <summary>PKCS#11 3.0 <c>CKK_EC_EDWARDS</c>; Pkcs11Interop 5 has no name for it.</summary>
    private const ulong CkkEcEdwards = 0x40;

    /// <summary>PKCS#11 3.0 <c>CKM_EC_EDWARDS_KEY_PAIR_GEN</c>.</summary>
    private const ulong CkmEcEdwardsKeyPairGen = 0x1055;

    /// <summary>PKCS#11 3.0 <c>CKM_EDDSA</c>.</summary>
    private const ulong CkmEddsa = 0x1057;

    private static readonly byte[] P256Oid = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    private static readonly byte[] Ed25519Oid = [0x06, 0x03, 0x2b, 0x65, 0x70];

    private readonly Pkcs11InteropFactories _factories;
    private readonly IPkcs11Library _library;
    private readonly ISlot _slot;
    private readonly byte[] _pin;
    private readonly string _label;
    private readonly bool _ed25519;
    private ISession? _loginSession;
    private IObjectHandle? _key;

    private SeedHsmSigner(Pkcs11InteropFactories factories, IPkcs11Library library, ISlot slot, byte[] pin, string label, bool ed25519)
    {
        _factories = factories;
        _library = library;
        _slot = slot;
        _pin = pin;
        _label = label;
        _ed25519 = ed25519;
    }

    /// <summary>Loads the module, finds the token by label and generates a P-256 or Ed25519 key pair in it.</summary>
    /// <param name="modulePath">The PKCS#11 library.</param>
    /// <param name="tokenLabel">The token's label.</param>
    /// <param name="pin">The token's user PIN.</param>
    /// <param name="ed25519">Ed25519 when <c>true</c>, ECDSA P-256 otherwise.</param>
    public static SeedHsmSigner Create(string modulePath, string tokenLabel, string pin, bool ed25519)
    {
        // Pkcs11Interop imports dlopen from "libdl", which Debian 12 ships only as libdl.so.2.
        NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, ResolveLibdl);
        var factories = new Pkcs11InteropFactories();
        var library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, modulePath, AppType.MultiThreaded);
        var slot = library.GetSlotList(SlotsType.WithTokenPresent).Single(s => s.GetTokenInfo().Label.TrimEnd(' ', '\0') == tokenLabel);
        var label = $"bench-seed-{Guid.NewGuid():N}";
        var signer = new SeedHsmSigner(factories, library, slot, System.Text.Encoding.UTF8.GetBytes(pin), label, ed25519);
        using var session = slot.OpenSession(SessionType.ReadWrite);
        session.Login(CKU.CKU_USER, signer._pin);
        var f = factories.ObjectAttributeFactory;
        var keyType = ed25519 ? CkkEcEdwards : (ulong)CKK.CKK_EC;
        List<IObjectAttribute> publicTemplate =
        [
            f.Create(CKA.CKA_TOKEN, true), f.Create(CKA.CKA_VERIFY, true), f.Create(CKA.CKA_LABEL, label),
            f.Create(CKA.CKA_KEY_TYPE, keyType), f.Create(CKA.CKA_EC_PARAMS, ed25519 ? Ed25519Oid : P256Oid),
        ];
        List<IObjectAttribute> privateTemplate =
        [
            f.Create(CKA.CKA_TOKEN, true), f.Create(CKA.CKA_PRIVATE, true), f.Create(CKA.CKA_SENSITIVE, true),
            f.Create(CKA.CKA_EXTRACTABLE, false), f.Create(CKA.CKA_SIGN, true), f.Create(CKA.CKA_LABEL, label),
            f.Create(CKA.CKA_KEY_TYPE, keyType),
        ];
        var mechanism = factories.MechanismFactory.Create(ed25519 ? CkmEcEdwardsKeyPairGen : (ulong)CKM.CKM_EC_KEY_PAIR_GEN);
        session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate, out _, out _);
        return signer;
    }

    /// <summary>One signature the seed system's way: session, login, find, sign, close.</summary>
    /// <param name="message">The message (hashed with SHA-256 in .NET for ECDSA; signed as is for Ed25519).</param>
    /// <returns>The signature (P1363 r‖s for ECDSA).</returns>
    public byte[] Sign(byte[] message)
    {
        using var session = _slot.OpenSession(SessionType.ReadWrite);
        try
        {
            session.Login(CKU.CKU_USER, _pin);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // Another caller's session holds the token's login.
        }

        var f = _factories.ObjectAttributeFactory;
        var key = session.FindAllObjects([f.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY), f.Create(CKA.CKA_LABEL, _label)]).Single();
        return _ed25519
            ? session.Sign(_factories.MechanismFactory.Create(CkmEddsa), key, message)
            : session.Sign(_factories.MechanismFactory.Create(CKM.CKM_ECDSA), key, SHA256.HashData(message));
    }

    /// <summary>
    /// The token alone, for the ceiling: one logged-in session held open, one more session per caller, and the key's
    /// handle found once. What a signature costs here is the token's own work and Pkcs11Interop's call, nothing else.
    /// </summary>
    /// <param name="callers">How many sessions to open, one per concurrent caller.</param>
    /// <returns>The callers' sessions (the login session is kept until <see cref="Dispose"/>).</returns>
    public ISession[] OpenSessionsPerCaller(int callers)
    {
        _loginSession ??= _slot.OpenSession(SessionType.ReadWrite);
        try
        {
            _loginSession.Login(CKU.CKU_USER, _pin);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
        }

        var f = _factories.ObjectAttributeFactory;
        _key = _loginSession.FindAllObjects([f.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY), f.Create(CKA.CKA_LABEL, _label)]).Single();
        return Enumerable.Range(0, callers).Select(_ => _slot.OpenSession(SessionType.ReadOnly)).ToArray();
    }

    /// <summary>One signature on a session of <see cref="OpenSessionsPerCaller"/>; not thread-safe per session.</summary>
    /// <param name="session">The caller's own session.</param>
    /// <param name="message">The message, as for <see cref="Sign"/>.</param>
    /// <returns>The signature.</returns>
    public byte[] SignOn(ISession session, byte[] message)
        => _ed25519
            ? session.Sign(_factories.MechanismFactory.Create(CkmEddsa), _key!, message)
            : session.Sign(_factories.MechanismFactory.Create(CKM.CKM_ECDSA), _key!, SHA256.HashData(message));

    /// <summary>Destroys the key pair and unloads the module (C_Finalize).</summary>
    public void Dispose()
    {
        try
        {
            using var session = _slot.OpenSession(SessionType.ReadWrite);
            try
            {
                session.Login(CKU.CKU_USER, _pin);
            }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // The ceiling's login session still holds the token's login.
            }

            var f = _factories.ObjectAttributeFactory;
            foreach (var handle in session.FindAllObjects([f.Create(CKA.CKA_LABEL, _label)]))
            {
                session.DestroyObject(handle);
            }
        }
        finally
        {
            _loginSession?.Dispose();
            CryptographicOperations.ZeroMemory(_pin);
            _library.Dispose();
        }
    }

    private static IntPtr ResolveLibdl(string name, Assembly assembly, DllImportSearchPath? searchPath)
        => name == "libdl" && NativeLibrary.TryLoad("libdl.so.2", out var handle) ? handle : IntPtr.Zero;
}
