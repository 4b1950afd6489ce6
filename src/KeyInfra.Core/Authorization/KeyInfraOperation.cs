namespace KeyInfra.Authorization;

/// <summary>The operations KeyInfra asks <see cref="IKeyInfraAuthorizer"/> about, one per public entry point.</summary>
public enum KeyInfraOperation
{
    /// <summary><see cref="Keys.IKeyStore.CreateAsync"/>: generate a key pair.</summary>
    CreateKey = 1,

    /// <summary><see cref="Keys.IKeyStore.ImportAsync"/>: record an existing public key.</summary>
    ImportKey = 2,

    /// <summary><see cref="Keys.IKeyStore.GetAsync"/>: read one key.</summary>
    GetKey = 3,

    /// <summary><see cref="Keys.IKeyStore.ListAsync"/>: list the tenant's keys.</summary>
    ListKeys = 4,

    /// <summary><see cref="Keys.IKeyStore.RotateAsync"/>: add a version to a key ring.</summary>
    RotateKey = 5,

    /// <summary><see cref="Keys.IKeyStore.RevokeAsync"/>: revoke a key.</summary>
    RevokeKey = 6,

    /// <summary><see cref="Keys.IKeyStore.ExpireAsync"/>: expire a key now.</summary>
    ExpireKey = 7,

    /// <summary><see cref="Keys.IKeyStore.DeleteAsync"/>: delete an unused key.</summary>
    DeleteKey = 8,

    /// <summary><see cref="Keys.IKeyStore.ExportPublicKeyAsync"/>: export a public key.</summary>
    ExportPublicKey = 9,

    /// <summary><see cref="Signing.ISigner.SignAsync"/>: sign with a key.</summary>
    Sign = 10,

    /// <summary><see cref="Verification.IVerifier"/>: verify a signature (each item of a batch is asked about by its key).</summary>
    Verify = 11,

    /// <summary><see cref="Verification.IVerificationLog.QueryAsync"/> and <see cref="Verification.IVerificationLog.GetBatchAsync"/>: read the verification log.</summary>
    ReadLog = 12,

    /// <summary><see cref="Identity.IUserStore"/>, <see cref="Identity.IRoleStore"/> and <see cref="Identity.IApplicationStore"/>: read and change users, roles, applications and credentials.</summary>
    ManageUsers = 13,

    /// <summary>The PKCS#11 package's <c>IHsmManager</c>: add, list, test and remove HSM modules and slots.</summary>
    ManageHsm = 14,

    /// <summary><see cref="Audit.IAuditTrail"/>: read and export the control-plane and data-plane audit logs.</summary>
    ReadAudit = 15,

    /// <summary><see cref="Keys.ICurveStore"/>: list curves, enable and disable them.</summary>
    ManageCurves = 16,

    /// <summary>
    /// <see cref="Encryption.Rotation.IMasterKeyRotation"/> and <see cref="Encryption.IPrivateKeyReencryptor"/>: the
    /// deployment's master keys and everything under them, across tenants. The built-in authorizer allows it to system
    /// callers only (the host's own jobs and command line), whatever a user's or application's roles grant.
    /// </summary>
    ManageMasterKeys = 17,

    /// <summary>
    /// <see cref="Certificates.ICertificateAuthorities"/>: create authorities and publish their CRLs. The built-in
    /// authorizer allows it to callers that may manage the tenant's users (an admin), whatever else their roles grant.
    /// </summary>
    ManageCertificateAuthorities = 18,

    /// <summary><see cref="Certificates.ICertificateAuthorities"/>: read authorities, their chains and CRLs (public data).</summary>
    ReadCertificateAuthorities = 19,

    /// <summary><see cref="Certificates.ICertificateStore.IssueAsync"/>: issue a certificate (<see cref="AuthorizationRequest.Owner"/> is its owner-to-be).</summary>
    IssueCertificate = 20,

    /// <summary><see cref="Certificates.ICertificateStore"/>: read and list certificates (<see cref="AuthorizationRequest.Owner"/> is the certificate's owner, or the owner filter).</summary>
    ReadCertificates = 21,

    /// <summary><see cref="Certificates.ICertificateStore.RenewAsync"/>: renew a certificate.</summary>
    RenewCertificate = 22,

    /// <summary><see cref="Certificates.ICertificateStore.RevokeAsync"/>: revoke a certificate.</summary>
    RevokeCertificate = 23,

    /// <summary><see cref="Certificates.ICertificateStore.ExportPkcs12Async"/>: export a certificate as PKCS#12.</summary>
    ExportCertificate = 24,

    /// <summary>
    /// <see cref="Certificates.ICertificateMaintenance"/>: publish the CRLs that are due and remove expired certificates,
    /// across tenants. The built-in authorizer allows it to system callers only (the host's own jobs and command line).
    /// </summary>
    MaintainCertificates = 25,
}
