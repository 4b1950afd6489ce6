using System.Globalization;
using System.Reflection;
using KeyInfra.Encryption;
using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// A real, migrated database of one storage provider, for the conformance suite: the storage services as the
/// application gets them from DI, raw SQL as a privileged writer (to inspect or tamper with rows), and a way to
/// point a KeyInfra host at the same database. Each provider's test project implements it.
/// </summary>
/// <remarks>
/// Raw SQL is written once for every provider: parameters are <c>$1</c>, <c>$2</c>, …; a <see cref="Guid"/> or
/// <see cref="KeyId"/> parameter is bound as the provider stores ids, and a scalar read back is converted to the
/// type asked for.
/// </remarks>
public abstract class ConformanceStorage : IAsyncDisposable
{
    /// <summary>The provider's name, for messages.</summary>
    public abstract string ProviderName { get; }

    /// <summary>The application's services on this database.</summary>
    public abstract IServiceProvider Services { get; }

    /// <summary>The key repository, as the application resolves it.</summary>
    public IKeyRepository Keys => Services.GetRequiredService<IKeyRepository>();

    /// <summary>The verification-log repository, as the application resolves it.</summary>
    public IVerificationLogRepository Log => Services.GetRequiredService<IVerificationLogRepository>();

    /// <summary>The master-key repository, as the application resolves it.</summary>
    public IMasterKeyRepository MasterKeys => Services.GetRequiredService<IMasterKeyRepository>();

    /// <summary>The HSM module and slot repository, as the application resolves it.</summary>
    public IHsmRepository Hsm => Services.GetRequiredService<IHsmRepository>();

    /// <summary>The migrator, as run by whoever may change the schema (on PostgreSQL the owner role, not the application).</summary>
    public abstract IKeyInfraMigrator Migrator { get; }

    /// <summary>The assembly of the provider package (its migrations live there).</summary>
    public abstract Assembly ProviderAssembly { get; }

    /// <summary>The namespace of the provider's EF Core migrations.</summary>
    public abstract string MigrationsNamespace { get; }

    /// <summary>The table that records the applied migrations.</summary>
    public abstract string MigrationsHistoryTable { get; }

    /// <summary>Whether text columns keep the NUL character (PostgreSQL's cannot, and the provider refuses it up front).</summary>
    public abstract bool StoresNulInText { get; }

    /// <summary>The finest time the provider keeps (SQLite keeps .NET ticks, PostgreSQL microseconds).</summary>
    public abstract TimeSpan TimeResolution { get; }

    /// <summary>Configures a KeyInfra builder to use this database, as a host of the application would.</summary>
    public abstract IKeyInfrastructureBuilder UseStorage(IKeyInfrastructureBuilder builder);

    /// <summary>Another database of the same provider, empty, migrated or not; the caller disposes it.</summary>
    public abstract Task<ConformanceStorage> CreateAnotherAsync(bool migrate = true);

    /// <summary>Disposes the application's services and builds them again on the same database (a host restart).</summary>
    public abstract Task RestartAsync();

    /// <summary>
    /// Makes the database look as an older release left it: the master key's check value in format v1 (so the database
    /// is migrating), and the key rows <paramref name="rowFilter"/> selects (by default every row) without a MAC.
    /// </summary>
    /// <param name="masterKey">The master key, as Base64.</param>
    /// <param name="rowFilter">A <c>WHERE</c> clause over <c>public_keys</c> with <c>$1</c> for <paramref name="rowId"/>, or <c>null</c> for every row.</param>
    /// <param name="rowId">The parameter of <paramref name="rowFilter"/>.</param>
    public async Task AsAnOlderReleaseLeftItAsync(string masterKey, string? rowFilter = null, object? rowId = null)
    {
        using (var key = new MasterKey(Convert.FromBase64String(masterKey)))
        {
            await ExecuteAsync("UPDATE master_keys SET check_value = $1", key.ComputeCheckValue());
        }

        const string ClearMacs = "UPDATE public_keys SET row_mac = NULL, row_mac_master_key_id = NULL";
        await (rowFilter is null ? ExecuteAsync(ClearMacs) : ExecuteAsync($"{ClearMacs} WHERE {rowFilter}", rowId));
    }

    /// <summary>Runs a statement as a privileged writer (past row-level security), returning the rows it affected.</summary>
    public abstract Task<int> ExecuteAsync(string sql, params object?[] parameters);

    /// <summary>
    /// Runs a statement as an attacker who can write to the database but holds no master key: past row-level security
    /// and past the log's append-only protections (on SQLite, the triggers dropped for the statement and put back
    /// after it, as such a writer would), returning the rows it affected.
    /// </summary>
    public virtual Task<int> TamperAsync(string sql, params object?[] parameters) => ExecuteAsync(sql, parameters);

    /// <summary>
    /// Runs a statement as the application's own database role (on PostgreSQL the role KeyInfra connects as, with its
    /// grants; on SQLite any connection), returning the rows it affected.
    /// </summary>
    public virtual Task<int> ExecuteAsApplicationAsync(string sql, params object?[] parameters) => ExecuteAsync(sql, parameters);

    /// <summary>Runs a query as a privileged reader and returns its first value, converted to <typeparamref name="T"/>.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params object?[] parameters) => ConvertScalar<T>(await ScalarCoreAsync(sql, parameters));

    /// <summary>The names of the tables in KeyInfra's schema.</summary>
    public abstract Task<IReadOnlyList<string>> ListTablesAsync();

    /// <summary>A time as this provider gives it back: cut to <see cref="TimeResolution"/>.</summary>
    public DateTimeOffset AsStored(DateTimeOffset value) => value.AddTicks(-(value.UtcTicks % TimeResolution.Ticks));

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>Runs a query and returns its first value as the driver read it.</summary>
    protected abstract Task<object?> ScalarCoreAsync(string sql, object?[] parameters);

    private static T ConvertScalar<T>(object? value)
    {
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return value switch
        {
            null or DBNull => default!,
            T typed => typed,
            string text when type == typeof(Guid) => (T)(object)Guid.Parse(text),
            _ => (T)Convert.ChangeType(value, type, CultureInfo.InvariantCulture),
        };
    }
}
