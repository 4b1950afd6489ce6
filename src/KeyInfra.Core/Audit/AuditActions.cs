namespace KeyInfra.Audit;

/// <summary>
/// The actions KeyInfra records. Control-plane actions are <c>target.verb</c>; data-plane actions are the operation's
/// name (<see cref="Authorization.KeyInfraOperation"/> in snake case, such as <c>sign</c> or <c>get_key</c>) or a check
/// (<see cref="CredentialCheck"/>, <see cref="PasswordCheck"/>). The texts are stored and are part of the format.
/// </summary>
public static class AuditActions
{
    /// <summary>A key was created (<c>IKeyStore.CreateAsync</c>).</summary>
    public const string KeyCreate = "key.create";

    /// <summary>A public key was imported.</summary>
    public const string KeyImport = "key.import";

    /// <summary>A ring was rotated: a new version was created.</summary>
    public const string KeyRotate = "key.rotate";

    /// <summary>A key was revoked.</summary>
    public const string KeyRevoke = "key.revoke";

    /// <summary>A key was expired.</summary>
    public const string KeyExpire = "key.expire";

    /// <summary>A key was deleted.</summary>
    public const string KeyDelete = "key.delete";

    /// <summary>A user was created.</summary>
    public const string UserCreate = "user.create";

    /// <summary>A user's status changed.</summary>
    public const string UserStatus = "user.status";

    /// <summary>A user's password was set or cleared (the password is never recorded).</summary>
    public const string UserPassword = "user.password";

    /// <summary>A role was given to a user.</summary>
    public const string UserRoleAdd = "user.role.add";

    /// <summary>A role was taken from a user.</summary>
    public const string UserRoleRemove = "user.role.remove";

    /// <summary>A custom role was created.</summary>
    public const string RoleCreate = "role.create";

    /// <summary>A permission was granted to a role.</summary>
    public const string RoleGrant = "role.grant";

    /// <summary>A permission was revoked from a role.</summary>
    public const string RoleRevoke = "role.revoke";

    /// <summary>An application was registered.</summary>
    public const string ApplicationCreate = "application.create";

    /// <summary>An application's status changed.</summary>
    public const string ApplicationStatus = "application.status";

    /// <summary>A role was given to an application.</summary>
    public const string ApplicationRoleAdd = "application.role.add";

    /// <summary>A role was taken from an application.</summary>
    public const string ApplicationRoleRemove = "application.role.remove";

    /// <summary>An application credential was issued (the secret is never recorded).</summary>
    public const string CredentialCreate = "credential.create";

    /// <summary>An application credential was revoked.</summary>
    public const string CredentialRevoke = "credential.revoke";

    /// <summary>A curve was disabled (<c>ICurveStore.SetStatusAsync</c>).</summary>
    public const string CurveDisable = "curve.disable";

    /// <summary>A curve was enabled.</summary>
    public const string CurveEnable = "curve.enable";

    /// <summary>A PKCS#11 module was registered.</summary>
    public const string HsmModuleAdd = "hsm_module.add";

    /// <summary>A PKCS#11 module was removed.</summary>
    public const string HsmModuleRemove = "hsm_module.remove";

    /// <summary>An HSM slot was registered (its PIN is never recorded).</summary>
    public const string HsmSlotAdd = "hsm_slot.add";

    /// <summary>An HSM slot was removed.</summary>
    public const string HsmSlotRemove = "hsm_slot.remove";

    /// <summary>The HSM slots' PINs were re-encrypted under the current master key.</summary>
    public const string HsmPinsRewrap = "hsm_slot.rewrap";

    /// <summary>Data protected by earlier master keys was moved to the current one.</summary>
    public const string MasterKeyRewrap = "master_key.rewrap";

    /// <summary>A master key was retired.</summary>
    public const string MasterKeyRetire = "master_key.retire";

    /// <summary>The stored private keys were brought under the current master key (<c>IPrivateKeyReencryptor</c> called directly; the re-wrap records its own).</summary>
    public const string PrivateKeysReencrypt = "master_key.reencrypt";

    /// <summary>The key rows were authenticated under the current master key (<c>IKeyRowAuthenticator</c> called directly; the re-wrap records its own).</summary>
    public const string KeyRowsAuthenticate = "master_key.authenticate_rows";

    /// <summary>An application's client id and secret were checked (<c>IApplicationStore.VerifyCredentialAsync</c>).</summary>
    public const string CredentialCheck = "credential.check";

    /// <summary>A user's password was checked (<c>IUserStore.VerifyPasswordAsync</c>).</summary>
    public const string PasswordCheck = "password.check";

    /// <summary>A certificate authority was created.</summary>
    public const string CertificateAuthorityCreate = "certificate_authority.create";

    /// <summary>A certificate authority published a CRL on request (scheduled ones are logged, not audited).</summary>
    public const string CrlPublish = "crl.publish";

    /// <summary>A certificate was issued.</summary>
    public const string CertificateIssue = "certificate.issue";

    /// <summary>A certificate was renewed (the new one issued, the old one superseded).</summary>
    public const string CertificateRenew = "certificate.renew";

    /// <summary>A certificate was revoked.</summary>
    public const string CertificateRevoke = "certificate.revoke";

    /// <summary>A certificate was exported as PKCS#12 (with or without its private key; never the PIN).</summary>
    public const string CertificateExport = "certificate.export";
}
