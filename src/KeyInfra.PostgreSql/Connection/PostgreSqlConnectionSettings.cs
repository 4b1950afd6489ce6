using System.Data.Common;
using System.Text;
using Npgsql;

namespace KeyInfra.PostgreSql.Connection;

/// <summary>A checked PostgreSQL connection string with KeyInfra's options applied, and the TLS mode it ended up with.</summary>
internal sealed record PostgreSqlConnectionSettings(string ConnectionString, PostgreSqlSslMode SslMode)
{
    /// <summary>Seconds of idleness before the first TCP keepalive probe on KeyInfra's connections.</summary>
    public const int TcpKeepAliveTimeSeconds = 30;

    /// <summary>Seconds between unanswered TCP keepalive probes.</summary>
    public const int TcpKeepAliveIntervalSeconds = 10;

    private const string Example = "\"Host=db.example.com;Database=keyinfra;Username=keyinfra_app;Password=…\"";

    /// <summary>Checks the connection string and applies <paramref name="options"/> to it.</summary>
    /// <exception cref="ArgumentException">It is empty or malformed, names no host, or asks for a TLS mode that can fall back to plain text.</exception>
    public static PostgreSqlConnectionSettings Parse(string? connectionString, PostgreSqlStorageOptions options, string paramName)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException($"The PostgreSQL connection string is empty. Pass one such as {Example}.", paramName);
        }

        NpgsqlConnectionStringBuilder builder;
        DbConnectionStringBuilder raw;
        try
        {
            raw = new DbConnectionStringBuilder { ConnectionString = connectionString };
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            // The connection string holds a password: neither it nor the parser's message (which may quote it) is repeated.
            throw new ArgumentException($"The PostgreSQL connection string is malformed. Check its keywords and quoting; pass one such as {Example}.", paramName);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException($"The PostgreSQL connection string names no server (Host). Pass one such as {Example}.", paramName);
        }

        if (builder.Multiplexing)
        {
            // The tenant is a session setting made when a connection is opened; multiplexing sends one connection's
            // commands over a physical connection another tenant's setting may be on.
            throw new ArgumentException(
                "Multiplexing=true is not supported: KeyInfra sets the tenant for row-level security on each connection it opens, and multiplexing shares physical connections between them. Remove Multiplexing from the connection string (and do not put a transaction-mode pooler such as PgBouncer's pool_mode=transaction in front of the server).",
                paramName);
        }

        var sslMode = options.SslMode ?? FromConnectionString(raw, builder.SslMode, paramName) ?? PostgreSqlSslMode.VerifyFull;
        builder.SslMode = sslMode switch
        {
            PostgreSqlSslMode.Disable => Npgsql.SslMode.Disable,
            PostgreSqlSslMode.Require => Npgsql.SslMode.Require,
            PostgreSqlSslMode.VerifyCa => Npgsql.SslMode.VerifyCA,
            _ => Npgsql.SslMode.VerifyFull,
        };
        if (options.RootCertificatePath is { } rootCertificate)
        {
            builder.RootCertificate = rootCertificate;
        }

        builder.MinPoolSize = options.MinPoolSize;
        builder.MaxPoolSize = options.MaxPoolSize;

        // TCP keepalive, unless the string sets its own: the key change listener's connection sits idle for long spells,
        // and a peer that vanished (or a NAT entry that expired) is otherwise noticed only when something is sent.
        if (!builder.TcpKeepAlive && builder.TcpKeepAliveTime == 0)
        {
            builder.TcpKeepAliveTime = TcpKeepAliveTimeSeconds;
            builder.TcpKeepAliveInterval = TcpKeepAliveIntervalSeconds;
        }

        // The password stays out of DbConnection.ConnectionString, so nothing that logs a connection can show it.
        builder.PersistSecurityInfo = false;
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "KeyInfra";
        }

        return new PostgreSqlConnectionSettings(builder.ConnectionString, sslMode);
    }

    // The connection string holds the password: the generated ToString would print it.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("SslMode = ").Append(SslMode);
        return true;
    }

    private static PostgreSqlSslMode? FromConnectionString(DbConnectionStringBuilder raw, SslMode parsed, string paramName)
    {
        if (!raw.ContainsKey("SSL Mode") && !raw.ContainsKey("SslMode"))
        {
            return null;
        }

        return parsed switch
        {
            Npgsql.SslMode.Disable => PostgreSqlSslMode.Disable,
            Npgsql.SslMode.Require => PostgreSqlSslMode.Require,
            Npgsql.SslMode.VerifyCA => PostgreSqlSslMode.VerifyCa,
            Npgsql.SslMode.VerifyFull => PostgreSqlSslMode.VerifyFull,
            _ => throw new ArgumentException(
                $"SSL Mode={parsed} falls back to plain text without telling anyone. Use VerifyFull (recommended), VerifyCa, Require or, deliberately, Disable.",
                paramName),
        };
    }
}
