using System.Security.Cryptography;
using KeyInfra.Signing;

namespace KeyInfra.Cryptography;

/// <summary>The resolved hash, ECDSA encoding and RSA padding of one signing or verification.</summary>
internal readonly record struct SignatureParameters(HashAlgorithmName Hash, SignatureEncoding Encoding, RsaPadding Padding);
