namespace KeyInfra.PostgreSql;

/// <summary>How KeyInfra's connections to PostgreSQL use TLS.</summary>
/// <remarks>
/// Npgsql's <c>Allow</c> and <c>Prefer</c> are not offered: they fall back to plain text without telling anyone,
/// which a security library must not do silently.
/// </remarks>
public enum PostgreSqlSslMode
{
    /// <summary>
    /// The default: TLS, the server certificate checked against the trusted roots (the system's, or
    /// <see cref="PostgreSqlStorageOptions.RootCertificatePath"/>) and its name checked against the host connected to.
    /// </summary>
    VerifyFull = 0,

    /// <summary>TLS, the certificate checked against the trusted roots, but not its host name. Logs a warning.</summary>
    VerifyCa = 1,

    /// <summary>TLS without any certificate check: encrypted, but open to a man in the middle. Logs a warning.</summary>
    Require = 2,

    /// <summary>No TLS: passwords are protected by scram-sha-256, but data travels in clear text. Logs a warning.</summary>
    Disable = 3,
}
