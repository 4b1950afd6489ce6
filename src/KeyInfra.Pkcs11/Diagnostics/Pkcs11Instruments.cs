namespace KeyInfra.Pkcs11.Diagnostics;

/// <summary>
/// The instruments KeyInfra.Pkcs11 records on KeyInfra's meter (<c>KeyInfra.Diagnostics.KeyInfraInstruments.MeterName</c>,
/// <c>KeyInfra</c>), and their tags. Tags carry no PINs, key ids or tenants.
/// </summary>
public static class Pkcs11Instruments
{
    /// <summary>Observable up-down counter: sessions the token pools of this process hold open (the logged-in session of each pool included), tagged by <see cref="SessionStateTag"/>.</summary>
    public const string Sessions = "keyinfra.pkcs11.sessions";

    /// <summary>Counter: operations that found every session of their token's pool in use and waited for one.</summary>
    public const string SessionWaits = "keyinfra.pkcs11.session.waits";

    /// <summary>Counter: PKCS#11 calls that failed, tagged by <see cref="ReturnValueTag"/>.</summary>
    public const string Errors = "keyinfra.pkcs11.errors";

    /// <summary>Histogram: the time one signature in a token took, in seconds (waiting for a session included), tagged by the key algorithm (<c>keyinfra.key.algorithm</c>).</summary>
    public const string SignDuration = "keyinfra.pkcs11.sign.duration";

    /// <summary>Counter: times a pool renewed its sessions and logged in again (a lost login, a closed session, a removed token).</summary>
    public const string Renewals = "keyinfra.pkcs11.session.renewals";

    /// <summary>Tag: <c>idle</c> or <c>in_use</c>; the pool's logged-in session counts as <c>idle</c>.</summary>
    public const string SessionStateTag = "keyinfra.pkcs11.session.state";

    /// <summary>Tag: the PKCS#11 return value's name, such as <c>CKR_PIN_INCORRECT</c>.</summary>
    public const string ReturnValueTag = "keyinfra.pkcs11.return_value";
}
