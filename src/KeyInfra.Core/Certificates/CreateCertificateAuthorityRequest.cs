using KeyInfra.Keys;

namespace KeyInfra.Certificates;

/// <summary>Asks for a new certificate authority (<see cref="ICertificateAuthorities.CreateRootAsync"/>, <see cref="ICertificateAuthorities.CreateIntermediateAsync"/>).</summary>
/// <param name="Name">Its name, unique in the tenant (1–200 characters).</param>
/// <param name="Subject">Its certificate's subject, as a distinguished name (<c>CN=Example Root CA, O=Example</c>).</param>
public sealed record CreateCertificateAuthorityRequest(string Name, string Subject)
{
    /// <summary>
    /// The key to generate for it; ECDSA P-256 by default (P-384, P-521, RSA of 2048 bits or more and Ed25519 too; signatures use the key's default hash, RSA PKCS#1 v1.5 — Ed25519 certificates verify
    /// with openssl and .NET on Linux, not with every TLS stack). Generated with the <see cref="KeyBackend"/> and marked
    /// for the authority alone. Ignored when <see cref="ExistingKey"/> is set.
    /// </summary>
    public KeySpec KeySpec { get; init; } = KeySpec.EcdsaP256;

    /// <summary>The private-key backend that generates the key: <c>software</c> (the default) or, with the PKCS#11 package, <c>pkcs11</c>.</summary>
    public string KeyBackend { get; init; } = PrivateKeys.PrivateKeyBackendNames.Software;

    /// <summary>The backend's options (the HSM slot); see <see cref="CreateKeyRequest.BackendOptions"/>.</summary>
    public IReadOnlyDictionary<string, string>? KeyBackendOptions { get; init; }

    /// <summary>
    /// An existing key to use instead of generating one: it must be dedicated to an authority
    /// (<see cref="CertificateAuthorityKeys"/>), have its private key in KeyInfra, and serve no other authority.
    /// </summary>
    public KeyId? ExistingKey { get; init; }

    /// <summary>
    /// How long its certificate is valid, at most its profile's and never past its parent's (asking for more is refused, KI8003).
    /// <c>null</c>, the default, gives a root 10 years and an intermediate 5 years, or what is left of its parent's life if that is shorter.
    /// </summary>
    public TimeSpan? Validity { get; init; }

    /// <summary>Where its CRL will be published, written into the certificates it issues; <c>null</c> for none.</summary>
    public Uri? CrlDistributionPoint { get; init; }
}
