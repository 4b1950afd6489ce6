using KeyInfra.Storage;

namespace KeyInfra.PrivateKeys;

/// <summary>A key pair a backend generated: the public key, and the private-key record KeyInfra stores.</summary>
/// <param name="Spki">The public key as DER SubjectPublicKeyInfo; the key store checks it strictly against the requested spec.</param>
/// <param name="PrivateKey">
/// What the backend needs to open the key again: a ciphertext, or a reference into the backend's own store. The key
/// store sets its <see cref="PrivateKeyRecord.Backend"/> to the backend's name.
/// </param>
public sealed record GeneratedPrivateKey(byte[] Spki, PrivateKeyRecord PrivateKey);
