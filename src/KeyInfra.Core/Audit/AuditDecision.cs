namespace KeyInfra.Audit;

/// <summary>What a data-plane decision was (<c>decision</c>: <c>allow</c> or <c>deny</c>).</summary>
public enum AuditDecision
{
    /// <summary>The call was allowed (a credential or password was right).</summary>
    Allow = 1,

    /// <summary>The call was refused (a credential or password was wrong, or the caller may not).</summary>
    Deny = 2,
}
