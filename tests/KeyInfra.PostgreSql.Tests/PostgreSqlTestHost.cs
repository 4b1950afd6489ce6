using KeyInfra.Encryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// The shared <see cref="TestHost"/> on a test database given by its connection string, by default as the
/// application role with <see cref="KeyInfraOptions.MigrateOnStartup"/> off (the owner migrated). Two hosts on one
/// database stand for two instances of an application.
/// </summary>
internal sealed class PostgreSqlTestHost : IAsyncDisposable
{
    private readonly TestHost _host;

    private PostgreSqlTestHost(TestHost host) => _host = host;

    public IHost Host => _host.Host;

    public IServiceProvider Services => _host.Services;

    public T Get<T>() where T : notnull => _host.Get<T>();

    public static string NewMasterKey() => TestHost.NewMasterKey();

    public static async Task<PostgreSqlTestHost> StartAsync(
        string connectionString,
        string masterKey,
        Action<KeyInfraOptions>? options = null,
        Action<PostgreSqlStorageOptions>? storage = null,
        Action<IServiceCollection>? services = null,
        Action<ILoggingBuilder>? logging = null,
        Action<EnvironmentMasterKeyOptions>? masterKeyOptions = null)
        => new(await TestHost.StartAsync(
            builder => builder.UsePostgreSql(connectionString, storage),
            masterKey,
            o =>
            {
                // The owner migrated the database; the application role could not. A test may turn it back on.
                o.MigrateOnStartup = false;
                options?.Invoke(o);
            },
            masterKeyOptions,
            services,
            logging));

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
