namespace KeyInfra.Verification.Chain;

/// <summary>How far a <c>log verify</c> walk is.</summary>
/// <param name="ChainsChecked">Chains checked so far.</param>
/// <param name="ChainCount">Chains with groups in the range.</param>
/// <param name="GroupsChecked">Groups checked so far.</param>
public sealed record LogAuditProgress(int ChainsChecked, int ChainCount, long GroupsChecked);
