namespace KeyInfra.Audit;

/// <summary>Who acted, as the audit logs record it (<c>actor_type</c>). The stored texts are part of the format.</summary>
public enum AuditActorKind
{
    /// <summary>No caller was set for the call (<c>anonymous</c>): the host did not say who it was.</summary>
    Anonymous = 0,

    /// <summary>A user (<c>user</c>).</summary>
    User = 1,

    /// <summary>An application (<c>application</c>).</summary>
    Application = 2,

    /// <summary>The host itself: a job, a migration, the admin command line (<c>system</c>).</summary>
    System = 3,
}
