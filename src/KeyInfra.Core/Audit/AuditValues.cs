namespace KeyInfra.Audit;

/// <summary>
/// The texts the audit tables store for <see cref="AuditActorKind"/> and <see cref="AuditDecision"/>, for storage
/// providers. They are part of the schema and of the log chain's format, and never change.
/// </summary>
public static class AuditValues
{
    /// <summary>The stored text of an actor kind, such as <c>application</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not defined.</exception>
    public static string ToText(AuditActorKind kind) => kind switch
    {
        AuditActorKind.Anonymous => "anonymous",
        AuditActorKind.User => "user",
        AuditActorKind.Application => "application",
        AuditActorKind.System => "system",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an audit actor kind."),
    };

    /// <summary>Reads a stored actor kind; <c>false</c> for a text KeyInfra never writes.</summary>
    public static bool TryParse(string? text, out AuditActorKind kind)
    {
        kind = text switch
        {
            "anonymous" => AuditActorKind.Anonymous,
            "user" => AuditActorKind.User,
            "application" => AuditActorKind.Application,
            "system" => AuditActorKind.System,
            _ => (AuditActorKind)(-1),
        };
        return (int)kind >= 0;
    }

    /// <summary>The stored text of a decision: <c>allow</c> or <c>deny</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not defined.</exception>
    public static string ToText(AuditDecision decision) => decision switch
    {
        AuditDecision.Allow => "allow",
        AuditDecision.Deny => "deny",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "Not an audit decision."),
    };

    /// <summary>Reads a stored decision; <c>false</c> for a text KeyInfra never writes.</summary>
    public static bool TryParse(string? text, out AuditDecision decision)
    {
        decision = text switch
        {
            "allow" => AuditDecision.Allow,
            "deny" => AuditDecision.Deny,
            _ => 0,
        };
        return decision != 0;
    }
}
