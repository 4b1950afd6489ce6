using System.Data.Common;
using System.Globalization;
using KeyInfra.Tenancy;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyInfra.PostgreSql.Tenancy;

/// <summary>
/// Sets <c>keyinfra.tenant_id</c> on every connection EF Core opens, from <see cref="TenantScope"/> or else
/// <see cref="ITenantContext"/>. The row-level security policies compare each row's <c>tenant_id</c> with it, so a
/// query that forgot its tenant filter still sees only the current tenant's rows. Thread-safe.
/// </summary>
/// <remarks>
/// The setting is made for the session on every open, so a pooled connection never keeps the previous user's tenant
/// (Npgsql also resets session state when a connection goes back to the pool).
/// </remarks>
internal sealed class TenantConnectionInterceptor(Func<ITenantContext?> tenantContext) : DbConnectionInterceptor
{
    public const string SettingName = "keyinfra.tenant_id";

    private const string Sql = "SELECT set_config('" + SettingName + "', @tenant, false)";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = CreateCommand(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = CreateCommand(connection);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private DbCommand CreateCommand(DbConnection connection)
    {
        var tenant = TenantScope.Current ?? tenantContext()?.TenantId;
        var command = connection.CreateCommand();
        command.CommandText = Sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "tenant";

        // No tenant (design time): an empty setting, which the policies treat as "no rows".
        parameter.Value = tenant?.ToString("D", CultureInfo.InvariantCulture) ?? string.Empty;
        command.Parameters.Add(parameter);
        return command;
    }
}
