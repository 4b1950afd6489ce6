using KeyInfra.PostgreSql.Connection;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>The storage settings of the last <c>UsePostgreSql</c> call, as one service.</summary>
internal sealed class PostgreSqlStorage(PostgreSqlConnectionSettings connection, PostgreSqlStorageOptions options)
{
    /// <summary>The provider name <c>UsePostgreSql</c> selects (<see cref="KeyInfra.Storage.KeyInfraStorageSelection"/>).</summary>
    public const string ProviderName = "PostgreSql";

    public PostgreSqlConnectionSettings Connection { get; } = connection;

    public PostgreSqlStorageOptions Options { get; } = options;
}
