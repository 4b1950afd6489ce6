namespace KeyInfra.Authorization;

/// <summary>The built-in roles: <see cref="Admin"/> has every permission in its tenant; <see cref="User"/> works with its own keys.</summary>
public static class KeyInfraRoles
{
    /// <summary>Every permission (<see cref="KeyInfraPermissions.All"/>), over the whole tenant.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// <see cref="KeyInfraPermissions.ManagePublicKeys"/>, <see cref="KeyInfraPermissions.Sign"/>,
    /// <see cref="KeyInfraPermissions.VerifySignatures"/> and <see cref="KeyInfraPermissions.ReadLog"/>, on the keys the
    /// user (or its application) owns.
    /// </summary>
    public const string User = "user";

    /// <summary>The built-in roles' permissions.</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> BuiltIn { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [Admin] = KeyInfraPermissions.All,
        [User] = [KeyInfraPermissions.ManagePublicKeys, KeyInfraPermissions.Sign, KeyInfraPermissions.VerifySignatures, KeyInfraPermissions.ReadLog, KeyInfraPermissions.ManageCertificates],
    };
}
