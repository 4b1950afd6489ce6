using KeyInfra.Keys;

namespace KeyInfra.Cryptography;

/// <summary>A public key that passed strict parsing and validation, normalised to DER SubjectPublicKeyInfo.</summary>
internal sealed record DecodedPublicKey(KeySpec Spec, byte[] Spki);
