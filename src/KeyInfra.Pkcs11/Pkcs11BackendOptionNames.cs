namespace KeyInfra.Pkcs11;

/// <summary>
/// The name of the PKCS#11 private-key backend and the names of its options (<c>CreateKeyRequest.Backend</c> and
/// <c>CreateKeyRequest.BackendOptions</c>).
/// </summary>
/// <example>
/// <code>
/// await keyStore.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "payments")
/// {
///     Backend = Pkcs11BackendOptionNames.BackendName,
///     BackendOptions = new Dictionary&lt;string, string&gt; { [Pkcs11BackendOptionNames.Slot] = "signing-hsm" },
/// });
/// </code>
/// </example>
public static class Pkcs11BackendOptionNames
{
    /// <summary>The backend's name, stored with every key it holds: <c>pkcs11</c>.</summary>
    public const string BackendName = "pkcs11";

    /// <summary>The tenant's HSM slot (its name, as given to <c>IHsmManager.AddSlotAsync</c>) to generate the key in, or to adopt it from. Required for a new key.</summary>
    public const string Slot = "slot";

    /// <summary>Adopt the existing private key whose <c>CKA_LABEL</c> is this (UTF-8) instead of generating one. With <see cref="AdoptId"/>, both must match.</summary>
    public const string AdoptLabel = "adopt-label";

    /// <summary>Adopt the existing private key whose <c>CKA_ID</c> is this, in hexadecimal (for example <c>a1b2c3</c>), instead of generating one.</summary>
    public const string AdoptId = "adopt-id";
}
