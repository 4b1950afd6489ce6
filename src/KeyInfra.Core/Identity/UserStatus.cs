namespace KeyInfra.Identity;

/// <summary>Whether a user may act. Only <see cref="Active"/> users are allowed anything; the values are stored.</summary>
public enum UserStatus
{
    /// <summary>The user may act, within the permissions of their roles.</summary>
    Active = 1,

    /// <summary>The user was switched off (left, or not yet started); every call is denied.</summary>
    Inactive = 2,

    /// <summary>The user was suspended (for example while an incident is looked into); every call is denied.</summary>
    Suspended = 3,
}
