using Microsoft.Extensions.Logging;
using Npgsql;

namespace KeyInfra.PostgreSql.Connection;

/// <summary>
/// The one <see cref="NpgsqlDataSource"/> (connection pool) KeyInfra uses for a host: EF Core, the COPY log
/// writer and the notification listener all take connections from it. Disposed with the container.
/// </summary>
internal sealed class PostgreSqlDataSource : IAsyncDisposable, IDisposable
{
    public PostgreSqlDataSource(PostgreSqlConnectionSettings settings, ILoggerFactory loggerFactory)
    {
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);

        // Npgsql logs through the host's logging; parameter values stay out unless Npgsql is told otherwise,
        // and the connection string it could show has no password (Persist Security Info is off).
        builder.UseLoggerFactory(loggerFactory);
        DataSource = builder.Build();
        SslMode = settings.SslMode;
        if (settings.SslMode != PostgreSqlSslMode.VerifyFull)
        {
            Log.WeakSslMode(loggerFactory.CreateLogger<PostgreSqlDataSource>(), settings.SslMode);
        }
    }

    public NpgsqlDataSource DataSource { get; }

    public PostgreSqlSslMode SslMode { get; }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
