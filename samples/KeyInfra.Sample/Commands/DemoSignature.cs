using KeyInfra.Keys;
using KeyInfra.Verification;

namespace KeyInfra.Sample.Commands;

/// <summary>One row of the demo's signing step.</summary>
internal sealed record DemoSignature(KeyId KeyId, string Type, int SignatureBytes, VerificationStatus Document, VerificationStatus Tampered);
