namespace KeyInfra.Authorization;

/// <summary>
/// The permissions KeyInfra knows, by the names the seed systems give them, and which one each operation needs. A role
/// grants permissions (<see cref="KeyInfraRoles"/>, <see cref="RolePermissions"/>); a caller has the permissions of its roles.
/// </summary>
public static class KeyInfraPermissions
{
    /// <summary>
    /// Add, change and remove users, roles, applications and credentials. Whoever holds it can give themselves any
    /// permission, so the built-in authorizer also lets its holders act on every key of the tenant, not only their own.
    /// </summary>
    public const string ManageUsers = "manage_users";

    /// <summary>Enable and disable curves.</summary>
    public const string ManageCurves = "manage_curves";

    /// <summary>Verify signatures (<see cref="KeyInfraOperation.Verify"/>).</summary>
    public const string VerifySignatures = "verify_signatures";

    /// <summary>Create, import, read, list, rotate, revoke, expire, delete and export keys.</summary>
    public const string ManagePublicKeys = "manage_public_keys";

    /// <summary>Sign with a stored private key (<see cref="KeyInfraOperation.Sign"/>).</summary>
    public const string Sign = "sign";

    /// <summary>Add and remove PKCS#11 modules and HSM slots.</summary>
    public const string ManageHsm = "manage_hsm";

    /// <summary>Read the verification log (<see cref="KeyInfraOperation.ReadLog"/>).</summary>
    public const string ReadLog = "read_log";

    /// <summary>Issue, revoke and read certificates and CRLs.</summary>
    public const string ManageCertificates = "manage_certificates";

    /// <summary>Read the control-plane and data-plane audit logs.</summary>
    public const string ReadAudit = "read_audit";

    /// <summary>Every permission, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } =
        [ManageUsers, ManageCurves, VerifySignatures, ManagePublicKeys, Sign, ManageHsm, ReadLog, ManageCertificates, ReadAudit];

    /// <summary>Whether <paramref name="permission"/> is one of <see cref="All"/> (ordinal: names are lowercase).</summary>
    public static bool IsKnown(string? permission) => permission is not null && All.Contains(permission, StringComparer.Ordinal);

    /// <summary>The permission an operation needs.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>One of <see cref="All"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="operation"/> is not a defined operation.</exception>
    public static string RequiredFor(KeyInfraOperation operation) => operation switch
    {
        KeyInfraOperation.CreateKey or KeyInfraOperation.ImportKey or KeyInfraOperation.GetKey or KeyInfraOperation.ListKeys
            or KeyInfraOperation.RotateKey or KeyInfraOperation.RevokeKey or KeyInfraOperation.ExpireKey or KeyInfraOperation.DeleteKey
            or KeyInfraOperation.ExportPublicKey => ManagePublicKeys,
        KeyInfraOperation.Sign => Sign,
        KeyInfraOperation.Verify => VerifySignatures,
        KeyInfraOperation.ReadLog => ReadLog,
        KeyInfraOperation.ManageUsers => ManageUsers,
        KeyInfraOperation.ManageHsm => ManageHsm,
        KeyInfraOperation.ReadAudit => ReadAudit,
        KeyInfraOperation.ManageCurves => ManageCurves,
        KeyInfraOperation.ManageCertificateAuthorities or KeyInfraOperation.ReadCertificateAuthorities or KeyInfraOperation.IssueCertificate
            or KeyInfraOperation.ReadCertificates or KeyInfraOperation.RenewCertificate or KeyInfraOperation.RevokeCertificate
            or KeyInfraOperation.ExportCertificate or KeyInfraOperation.MaintainCertificates => ManageCertificates,

        // No permission of a tenant's roles is enough for the deployment's keys (the built-in authorizer allows system
        // callers only); an authorizer that maps by permission gets the tenant-wide one.
        KeyInfraOperation.ManageMasterKeys => ManageUsers,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a KeyInfra operation."),
    };
}
