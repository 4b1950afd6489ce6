using KeyInfra.Errors;
using KeyInfra.PostgreSql.Connection;
using KeyInfra.PostgreSql.Storage;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.PostgreSql.Tenancy;

/// <summary>
/// At start, refuses a connection whose role row-level security does not hold (KI4601), unless the host opted in with
/// <see cref="PostgreSqlStorageOptions.UnsafeAllowRowLevelSecurityBypass"/>; then it warns. Runs before every other
/// hosted service, so before the migrations (which go through <see cref="PostgreSqlStorageOptions.MigrationConnectionString"/>
/// when it is set) and the master key check. On a database not migrated yet, a connection that would run the migrations
/// itself counts as the owner: the tables it creates would be its own.
/// </summary>
internal sealed class RowLevelSecurityGuard(IServiceProvider services, IOptions<KeyInfraOptions> keyInfraOptions, ILogger<RowLevelSecurityGuard> logger) : IHostedService
{
    // The role itself and every role it may SET ROLE to (set_config('role', …) works inside any statement).
    private const string Sql = """
        SELECT current_user::text,
            r.rolsuper,
            r.rolbypassrls,
            c.relowner IS NOT NULL AND pg_catalog.pg_has_role(current_user, c.relowner, 'MEMBER'),
            c.relowner IS NULL,
            EXISTS (SELECT 1 FROM pg_catalog.pg_roles b
                    WHERE (b.rolsuper OR b.rolbypassrls) AND b.oid <> r.oid AND pg_catalog.pg_has_role(current_user, b.oid, 'MEMBER'))
        FROM pg_catalog.pg_roles r
        LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass('public_keys')
        WHERE r.rolname = current_user
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Another storage provider selected after UsePostgreSql replaced this one.
        if (services.GetService<KeyInfraStorageSelection>()?.Is(PostgreSqlStorage.ProviderName) != true)
        {
            return;
        }

        if (await FindExemptionAsync(cancellationToken).ConfigureAwait(false) is not { } exemption)
        {
            return;
        }

        if (services.GetRequiredService<PostgreSqlStorage>().Options.UnsafeAllowRowLevelSecurityBypass)
        {
            Log.ExemptFromRowLevelSecurity(logger, exemption.Role, exemption.Reason);
            return;
        }

        throw new KeyInfraException(
            ErrorCodes.RowLevelSecurityBypassed,
            $"KeyInfra refuses to start: its PostgreSQL role {exemption.Role} {exemption.Reason}, so row-level security would not keep tenants apart. " +
            "Connect as an application role that owns nothing and has no BYPASSRLS (docs/postgresql.md), and give the owner's connection to " +
            "PostgreSqlStorageOptions.MigrationConnectionString for migrations; or, knowingly, set UnsafeAllowRowLevelSecurityBypass.");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private bool WouldMigrateItself()
        => keyInfraOptions.Value.MigrateOnStartup && services.GetRequiredService<PostgreSqlStorage>().Options.MigrationConnectionString is null;

    /// <summary>Why row-level security does not hold for the connection's role, or <c>null</c> when it does.</summary>
    public async Task<(string Role, string Reason)?> FindExemptionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = services.GetRequiredService<PostgreSqlDataSource>().DataSource.CreateCommand(Sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var role = reader.GetString(0);
        string? reason = reader.GetBoolean(1) ? "is a superuser"
            : reader.GetBoolean(2) ? "has BYPASSRLS"
            : reader.GetBoolean(3) ? "owns KeyInfra's tables (or may SET ROLE to their owner)"
            : reader.GetBoolean(5) ? "may SET ROLE to a superuser or a BYPASSRLS role"
            : reader.GetBoolean(4) && WouldMigrateItself() ? "would own KeyInfra's tables: it runs the migrations (MigrateOnStartup without a MigrationConnectionString)"
            : null;
        return reason is null ? null : (role, reason);
    }
}
