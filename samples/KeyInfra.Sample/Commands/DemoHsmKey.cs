using KeyInfra.Keys;
using KeyInfra.Verification;

namespace KeyInfra.Sample.Commands;

/// <summary>One key the demo made in an HSM token: its signature's size and the two verification outcomes, or the error code that stopped it.</summary>
internal sealed record DemoHsmKey(KeyId? KeyId, string Type, int SignatureBytes, VerificationStatus? Document, VerificationStatus? Tampered, string? ErrorCode);
