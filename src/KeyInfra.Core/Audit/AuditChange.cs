namespace KeyInfra.Audit;

/// <summary>
/// A change to record in the control-plane audit log (<see cref="IAuditTrail.RecordChangeAsync"/>): the action, its
/// target, and the target's public state before and after. KeyInfra adds the time, the tenant and the caller.
/// </summary>
/// <remarks>
/// The states are maps of field names to text, written as JSON objects with keys in ordinal order. Put in them what an
/// auditor needs to see, never a secret: no password, PIN, client secret, hash or key material.
/// </remarks>
public sealed record AuditChange
{
    /// <summary>The longest <see cref="Action"/>, in characters.</summary>
    public const int MaxActionLength = 64;

    /// <summary>The longest <see cref="TargetType"/>, in characters.</summary>
    public const int MaxTargetTypeLength = 32;

    /// <summary>The longest <see cref="TargetId"/>, in characters.</summary>
    public const int MaxTargetIdLength = 200;

    /// <summary>The most fields a state may have.</summary>
    public const int MaxFields = 64;

    /// <summary>The longest field name or value, in characters.</summary>
    public const int MaxFieldLength = 1024;

    /// <summary>What was done, such as <see cref="AuditActions.KeyRevoke"/>: lowercase letters, digits, '.', '_' and '-'.</summary>
    public required string Action { get; init; }

    /// <summary>The kind of thing changed, such as <c>key</c>: lowercase letters, digits and '_'.</summary>
    public required string TargetType { get; init; }

    /// <summary>Its id, if it has one.</summary>
    public string? TargetId { get; init; }

    /// <summary>Its state before; <c>null</c> when it did not exist.</summary>
    public IReadOnlyDictionary<string, string?>? Before { get; init; }

    /// <summary>Its state after; <c>null</c> when it no longer exists.</summary>
    public IReadOnlyDictionary<string, string?>? After { get; init; }
}
