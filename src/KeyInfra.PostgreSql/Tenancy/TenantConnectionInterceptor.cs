using System.Data.Common;
using System.Globalization;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace KeyInfra.PostgreSql.Tenancy;

/// <summary>
/// Sets <c>keyinfra.tenant_id</c> on every connection EF Core opens, from <see cref="TenantScope"/> or else
/// <see cref="ITenantContext"/>, and <c>keyinfra.owners</c> from <see cref="OwnerScope"/>. The row-level security
/// policies compare each row's <c>tenant_id</c> with the first, so a query that forgot its tenant filter still sees only
/// the current tenant's rows; the <c>owner_scope</c> policies compare a key's owner (and a record's caller and key) with
/// the second, so a list or log read made for an owner-scoped caller sees only its owners' rows. Thread-safe.
/// </summary>
/// <remarks>
/// The setting is made for the session on every open, so a pooled connection never keeps the previous user's tenant
/// (Npgsql also resets session state when a connection goes back to the pool).
/// </remarks>
internal sealed class TenantConnectionInterceptor(Func<ITenantContext?> tenantContext) : DbConnectionInterceptor
{
    public const string SettingName = "keyinfra.tenant_id";

    public const string OwnersSettingName = "keyinfra.owners";

    // The owners go as a text[] and are stored as its array literal, which the policies cast back: quoting is
    // PostgreSQL's, whatever an owner holds. No scope is an empty setting (the whole tenant).
    private const string Sql = "SELECT set_config('" + SettingName + "', @tenant, false), set_config('" + OwnersSettingName + "', coalesce(@owners::text, ''), false)";

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

        var owners = command.CreateParameter();
        owners.ParameterName = "owners";
        owners.Value = OwnerScope.Current is { } scope ? scope.ToArray() : DBNull.Value;
        if (owners is NpgsqlParameter typed)
        {
            typed.NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text;
        }
        command.Parameters.Add(owners);
        return command;
    }
}
