namespace KeyInfra.Identity;

/// <summary>Who holds a role: a user (<c>user_roles</c>) or an application (<c>application_roles</c>).</summary>
public enum PrincipalKind
{
    /// <summary>A user of <c>users</c>.</summary>
    User = 1,

    /// <summary>An application of <c>applications</c>.</summary>
    Application = 2,
}
