using KeyInfra.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KeyInfra.PostgreSql.Connection;

/// <summary>
/// The one <see cref="NpgsqlDataSource"/> (connection pool) KeyInfra uses for a host: EF Core, the COPY log
/// writer and the notification listener all take connections from it. A pool KeyInfra built from a connection
/// string is disposed with the container; a data source the host gave is the host's to dispose.
/// </summary>
internal sealed class PostgreSqlDataSource : IAsyncDisposable, IDisposable
{
    private readonly bool _owned;

    public PostgreSqlDataSource(PostgreSqlConnectionSource source, IOptions<PostgreSqlStorageOptions> options, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        if (source.HostDataSource is { } hostDataSource)
        {
            DataSource = hostDataSource(services) ?? throw new InvalidOperationException("The data source factory given to UsePostgreSql returned null.");
            SslMode = CheckHostDataSource(DataSource);
        }
        else
        {
            var settings = PostgreSqlConnectionSettings.Parse(source.ConnectionString, options.Value, "connectionString");
            var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);

            // Npgsql logs through the host's logging; parameter values stay out unless Npgsql is told otherwise,
            // and the connection string it could show has no password (Persist Security Info is off).
            builder.UseLoggerFactory(loggerFactory);
            DataSource = builder.Build();
            SslMode = settings.SslMode;
            _owned = true;
        }

        if (SslMode != PostgreSqlSslMode.VerifyFull)
        {
            Log.WeakSslMode(loggerFactory.CreateLogger<PostgreSqlDataSource>(), SslMode);
        }
    }

    public NpgsqlDataSource DataSource { get; }

    public PostgreSqlSslMode SslMode { get; }

    public ValueTask DisposeAsync() => _owned ? DataSource.DisposeAsync() : ValueTask.CompletedTask;

    public void Dispose()
    {
        if (_owned)
        {
            DataSource.Dispose();
        }
    }

    // KeyInfra cannot apply its TLS and pool settings to a pool it did not build, but it still refuses the two
    // settings that break its guarantees: a TLS mode that falls back to plain text, and multiplexing (the tenant
    // setting for row-level security is made per connection).
    private static PostgreSqlSslMode CheckHostDataSource(NpgsqlDataSource dataSource)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new KeyInfraException(ErrorCodes.StorageMisconfigured, "The connection string of the NpgsqlDataSource given to UsePostgreSql cannot be read. Build the data source from a valid connection string.");
        }

        if (builder.Multiplexing)
        {
            throw new KeyInfraException(
                ErrorCodes.StorageMisconfigured,
                "The NpgsqlDataSource given to UsePostgreSql uses Multiplexing=true, which KeyInfra does not support: it sets the tenant for row-level security on each connection it opens, and multiplexing shares physical connections between them. Build the data source without Multiplexing.");
        }

        return builder.SslMode switch
        {
            Npgsql.SslMode.VerifyFull => PostgreSqlSslMode.VerifyFull,
            Npgsql.SslMode.VerifyCA => PostgreSqlSslMode.VerifyCa,
            Npgsql.SslMode.Require => PostgreSqlSslMode.Require,
            Npgsql.SslMode.Disable => PostgreSqlSslMode.Disable,
            _ => throw new KeyInfraException(
                ErrorCodes.StorageMisconfigured,
                $"The NpgsqlDataSource given to UsePostgreSql uses SSL Mode={builder.SslMode}, which falls back to plain text without telling anyone. Use VerifyFull (recommended), VerifyCA, Require or, deliberately, Disable."),
        };
    }
}
