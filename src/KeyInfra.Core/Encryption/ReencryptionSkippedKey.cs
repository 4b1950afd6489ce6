using KeyInfra.Keys;

namespace KeyInfra.Encryption;

/// <summary>A private key a re-encryption run could not read, and left as it was.</summary>
/// <param name="TenantId">The key's tenant.</param>
/// <param name="KeyId">The key.</param>
/// <param name="ErrorCode">Why, as a stable code: <c>KI2103</c> plaintext (not read without the unsafe option), <c>KI2104</c>
/// private key not of the row's public key, <c>KI2101</c>/<c>KI2102</c> malformed or failed authentication, <c>KI1010</c>
/// malformed private key, <c>KI4101</c> a row KeyInfra cannot read.</param>
/// <param name="Reason">The error's message: what is wrong and what to do. Never key material.</param>
public sealed record ReencryptionSkippedKey(Guid TenantId, KeyId KeyId, string ErrorCode, string Reason);
