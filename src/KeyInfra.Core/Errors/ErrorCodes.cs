namespace KeyInfra.Errors;

/// <summary>
/// The stable error codes carried by <see cref="KeyInfraException.ErrorCode"/>; docs/errors.md explains each.
/// </summary>
/// <remarks>Ranges: KI1xxx keys and formats, KI2xxx encryption and master keys, KI3xxx signing and verification, KI4xxx storage and configuration (KI42xx HSM modules and slots in storage), KI5xxx access control, KI8xxx certificates (KI6xxx HSM and KI7xxx master key sources live in their packages).</remarks>
public static class ErrorCodes
{
    /// <summary>PEM text is malformed: missing or mismatched armour, bad Base64, or not a PUBLIC KEY block.</summary>
    public const string MalformedPem = "KI1001";

    /// <summary>DER is malformed: truncated, not canonical DER, trailing bytes, or not a SubjectPublicKeyInfo.</summary>
    public const string MalformedDer = "KI1002";

    /// <summary>A raw key has the wrong length or prefix for its curve.</summary>
    public const string MalformedRawKey = "KI1003";

    /// <summary>An EC point is not on the named curve (or is the point at infinity).</summary>
    public const string PointNotOnCurve = "KI1004";

    /// <summary>The encoded key is of another curve or algorithm than the one declared.</summary>
    public const string KeySpecMismatch = "KI1005";

    /// <summary>An RSA key is smaller than 2048 or larger than 4096 bits, or has an unsafe public exponent (even, below 65537 as FIPS 186-5 requires, or over 64 bits).</summary>
    public const string WeakOrUnsupportedRsaKey = "KI1006";

    /// <summary>The algorithm or curve OID is not one KeyInfra supports.</summary>
    public const string UnsupportedAlgorithm = "KI1007";

    /// <summary>The key data is larger than any supported key could be.</summary>
    public const string KeyDataTooLarge = "KI1008";

    /// <summary>A raw import did not say which key type it is.</summary>
    public const string RawKeyNeedsSpec = "KI1009";

    /// <summary>A PKCS#8 private key is malformed (not canonical DER, truncated, trailing bytes, inconsistent) or not of the declared key type.</summary>
    public const string MalformedPrivateKey = "KI1010";

    /// <summary>The key format cannot be imported (JWK is export only) or is not a <see cref="Keys.KeyFormat"/> value.</summary>
    public const string UnsupportedKeyFormat = "KI1011";

    /// <summary>No key with that id exists in this tenant.</summary>
    public const string KeyNotFound = "KI1101";

    /// <summary>No key ring with that name exists in this tenant.</summary>
    public const string KeyRingNotFound = "KI1102";

    /// <summary>The key is revoked.</summary>
    public const string KeyRevoked = "KI1103";

    /// <summary>The key is expired.</summary>
    public const string KeyExpired = "KI1104";

    /// <summary>The key has no private key in KeyInfra, so it cannot sign.</summary>
    public const string NoPrivateKey = "KI1105";

    /// <summary>The key has verification records and cannot be deleted.</summary>
    public const string KeyInUse = "KI1106";

    /// <summary>Another instance created the same ring version at the same time, repeatedly.</summary>
    public const string RingVersionConflict = "KI1107";

    /// <summary>The key's curve is disabled (<c>ICurveStore</c>, <c>KeyInfra:Curves:Disabled</c>): no key of it may be created, imported, rotated into or used to sign.</summary>
    public const string CurveDisabled = "KI1108";

    /// <summary>No master key is configured.</summary>
    public const string MasterKeyMissing = "KI2001";

    /// <summary>The master key text is not 32 bytes of Base64 or hex.</summary>
    public const string MasterKeyMalformed = "KI2002";

    /// <summary>The master key does not match its stored key check value.</summary>
    public const string MasterKeyCheckFailed = "KI2003";

    /// <summary>Existing data is encrypted under master keys the key source does not provide.</summary>
    public const string MasterKeyUnavailable = "KI2004";

    /// <summary>The master key source failed (unreachable, or it returned an error) while the master key was being loaded.</summary>
    public const string MasterKeySourceFailed = "KI2005";

    /// <summary>
    /// The database's master secret salt (the Argon2id salt and cost the master secret is derived with) is malformed or
    /// outside the accepted costs, or cannot be read.
    /// </summary>
    public const string MasterSecretSaltInvalid = "KI2006";

    /// <summary>A master key cannot be retired: it is the current key, or stored data still names it (the message lists what).</summary>
    public const string MasterKeyInUse = "KI2007";

    /// <summary>The configured current master key was retired on this database: nothing may be wrapped or authenticated under it again.</summary>
    public const string MasterKeyRetired = "KI2008";

    /// <summary>Encrypted data is truncated or of an unknown format version.</summary>
    public const string CiphertextMalformed = "KI2101";

    /// <summary>Encrypted data failed authentication: tampered, moved to another row, bound to another public key or spec, or under another key.</summary>
    public const string CiphertextAuthenticationFailed = "KI2102";

    /// <summary>
    /// A stored key row failed authentication: its MAC does not match its fields (changed outside KeyInfra, or copied
    /// from another row), it has no MAC on a database whose rows are all authenticated, or its MAC was made by a
    /// master key the key source does not provide. The key is not used.
    /// </summary>
    public const string KeyRowAuthenticationFailed = "KI2601";

    /// <summary>A key's lifecycle update kept losing to concurrent updates of the same key; nothing was changed by this call.</summary>
    public const string KeyUpdateConflict = "KI2602";

    /// <summary>
    /// A stored private key is plaintext (protection <c>none</c>): refused for signing, since any database writer can
    /// write one. Only <c>reencrypt</c> with its unsafe option reads such keys, to encrypt them.
    /// </summary>
    public const string PlaintextPrivateKeyRefused = "KI2103";

    /// <summary>A stored private key's public key is not the key row's stored public key: refused, never signs.</summary>
    public const string PrivateKeyPublicKeyMismatch = "KI2104";

    /// <summary>A signing request does not fit the key (a hash for Ed25519, a hash of the wrong length, an unsupported hash).</summary>
    public const string SignRequestInvalid = "KI3001";

    /// <summary>The verification log could not commit records.</summary>
    public const string VerificationLogWriteFailed = "KI3101";

    /// <summary>The verification log is shut down and accepts no records.</summary>
    public const string VerificationLogClosed = "KI3102";

    /// <summary>
    /// The verification log cannot be checked (<c>log verify</c>) because this host has no master key: the chain's
    /// digests are MACs under a subkey of the master key.
    /// </summary>
    public const string VerificationLogAuditUnavailable = "KI3103";

    /// <summary>No storage provider is registered (call UseSqlite or UsePostgreSql).</summary>
    public const string NoStorageProvider = "KI4002";

    /// <summary>
    /// The storage provider is set up in a way that breaks KeyInfra's guarantees: for example a PostgreSQL data source
    /// that can fall back to plain text or multiplexes connections.
    /// </summary>
    public const string StorageMisconfigured = "KI4003";

    /// <summary>
    /// No private-key backend with the requested name is registered: a <see cref="Keys.CreateKeyRequest.Backend"/> that
    /// names none, or a stored key held by a backend whose package is not registered in this host.
    /// </summary>
    public const string UnknownPrivateKeyBackend = "KI4004";

    /// <summary>Two registered private-key backends have the same <see cref="PrivateKeys.IPrivateKeyBackend.Name"/>.</summary>
    public const string DuplicatePrivateKeyBackend = "KI4005";

    /// <summary>A PKCS#11 module with that name is already stored (<see cref="Storage.IHsmRepository.AddModuleAsync"/>); nothing was added.</summary>
    public const string HsmModuleNameTaken = "KI4201";

    /// <summary>The PKCS#11 module cannot be removed: slots of one or more tenants name it. Remove those slots first.</summary>
    public const string HsmModuleInUse = "KI4202";

    /// <summary>The tenant already has an HSM slot with that name (<see cref="Storage.IHsmRepository.AddSlotAsync"/>); nothing was added.</summary>
    public const string HsmSlotNameTaken = "KI4203";

    /// <summary>The HSM slot cannot be removed: private keys held in its token name it. Delete those keys first.</summary>
    public const string HsmSlotInUse = "KI4204";

    /// <summary>A slot names a PKCS#11 module that is not stored (<see cref="Storage.IHsmRepository.AddSlotAsync"/>); nothing was added.</summary>
    public const string HsmModuleNotFound = "KI4205";

    /// <summary>
    /// A row read from storage holds a value KeyInfra does not know (written by a newer version, or edited
    /// by hand): an unknown status, algorithm, curve or format, or metadata that is not a JSON object of strings.
    /// </summary>
    public const string StoredDataInvalid = "KI4101";

    /// <summary>
    /// The database could not be reached, or failed with a transient error (a dropped connection, a restarting
    /// server) on every retry. The operation may not have completed; try again once the database is reachable.
    /// </summary>
    public const string StorageUnavailable = "KI4102";

    /// <summary>
    /// The SQLite database file is corrupt: SQLite reported it malformed (or not a database) while KeyInfra read or
    /// wrote it, or <c>PRAGMA quick_check</c> found problems. Nothing read from it is returned.
    /// </summary>
    public const string StorageCorrupt = "KI4701";

    /// <summary>Another process held the SQLite migration lock file longer than the configured wait.</summary>
    public const string MigrationLockTimeout = "KI4702";

    /// <summary>
    /// KeyInfra's PostgreSQL role is exempt from row-level security, or may make itself so: it owns the tables, is a
    /// superuser or has BYPASSRLS (or may SET ROLE to such a role). The host does not start unless it opted in with
    /// <c>PostgreSqlStorageOptions.UnsafeAllowRowLevelSecurityBypass</c>.
    /// </summary>
    public const string RowLevelSecurityBypassed = "KI4601";

    /// <summary>The host's authorizer (<see cref="Authorization.IKeyInfraAuthorizer"/>) denied the caller the operation.</summary>
    public const string AccessDenied = "KI5001";

    /// <summary>A stored credential hash (an application secret's, a user's password) is malformed: not <c>pbkdf2_sha256:&lt;iterations&gt;:&lt;salt_hex&gt;:&lt;hash_hex&gt;</c> within its bounds.</summary>
    public const string CredentialHashMalformed = "KI5101";

    /// <summary>A stored credential hash is a legacy <c>sha256:</c> hash, which is refused: the secret must be rotated.</summary>
    public const string LegacyCredentialHashRefused = "KI5102";

    /// <summary>A user name or e-mail, role name, application name or client id is already taken in the tenant; nothing was added.</summary>
    public const string IdentityNameTaken = "KI5103";

    /// <summary>No user with that id or name in the tenant.</summary>
    public const string UserNotFound = "KI5104";

    /// <summary>No application with that id or name in the tenant.</summary>
    public const string ApplicationNotFound = "KI5105";

    /// <summary>No role by that name: neither built in, configured, nor added to the tenant.</summary>
    public const string RoleNotFound = "KI5106";

    /// <summary>A user, application or credential was changed by other writers on every attempt to update it; nothing was changed.</summary>
    public const string IdentityUpdateConflict = "KI5108";

    /// <summary>No credential with that id for the application.</summary>
    public const string CredentialNotFound = "KI5109";

    /// <summary>
    /// A certificate signing request is not a PKCS#10 request KeyInfra reads: not PEM <c>CERTIFICATE REQUEST</c> or DER,
    /// not canonical DER, larger than 64 KiB, or with bytes after it.
    /// </summary>
    public const string CertificateRequestMalformed = "KI8001";

    /// <summary>A certificate signing request's signature does not verify under its own public key, or is of an algorithm the platform cannot check.</summary>
    public const string CertificateRequestSignatureInvalid = "KI8002";

    /// <summary>
    /// What a certificate would say is not allowed by its profile or its issuer: a name the profile does not allow, a
    /// validity longer than the profile's or ending after the issuer's, an issuer that is not a certificate authority.
    /// </summary>
    public const string CertificateProfileViolation = "KI8003";

    /// <summary>The key is dedicated to a certificate authority: it signs only certificates and CRLs, through the certificate services, not through <c>ISigner</c>.</summary>
    public const string KeyReservedForCertificateAuthority = "KI8010";

    /// <summary>The tenant has no certificate authority with that id or name.</summary>
    public const string CertificateAuthorityNotFound = "KI8011";

    /// <summary>The tenant already has a certificate authority with that name, or the key already serves one.</summary>
    public const string CertificateAuthorityNameTaken = "KI8012";

    /// <summary>The tenant has no certificate with that id (or the caller may not see it).</summary>
    public const string CertificateNotFound = "KI8013";

    /// <summary>The certificate is not in a state that allows it: renewing one that is revoked or renewed already, revoking one revoked already.</summary>
    public const string CertificateStateConflict = "KI8014";

    /// <summary>
    /// Stored certificate data failed a check: an authority's row fails its MAC or its certificate is not its key's, an
    /// issued certificate does not verify under its issuer, the last CRL is missing or not the one published.
    /// </summary>
    public const string StoredCertificateDataInvalid = "KI8015";

    /// <summary>The private key cannot be exported: it is held in an HSM, it is an Ed25519 key, or the certificate was issued from a signing request.</summary>
    public const string PrivateKeyNotExportable = "KI8016";

    /// <summary>The key cannot serve a certificate authority: not dedicated to one (<c>keyinfra.purpose</c>), without a private key here, or of an algorithm KeyInfra does not issue with.</summary>
    public const string CertificateAuthorityKeyInvalid = "KI8017";
}
