namespace KeyInfra.Identity;

/// <summary>Whether an application may act. A disabled application's credentials all fail; the values are stored.</summary>
public enum ApplicationStatus
{
    /// <summary>The application may act, within the permissions of its roles.</summary>
    Active = 1,

    /// <summary>The application was switched off: its credentials fail and every call is denied.</summary>
    Disabled = 2,
}
