using KeyInfra.Verification;

namespace KeyInfra.Sample.Input;

/// <summary>A request of a <c>verify-batch</c> file and the line it came from.</summary>
internal sealed record BatchLine(int LineNumber, VerificationRequest Request);
