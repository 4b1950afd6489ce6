using System.Security.Cryptography;
using KeyInfra.Signing;

namespace KeyInfra.Cryptography;

/// <summary>
/// The resolved hash, ECDSA encoding and RSA padding of one signing or verification, and the RSA-PSS salt length
/// (<c>null</c>: as long as the hash).
/// </summary>
internal readonly record struct SignatureParameters(HashAlgorithmName Hash, SignatureEncoding Encoding, RsaPadding Padding, int? PssSaltLength = null);
