using Microsoft.Extensions.Options;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>The PostgreSQL storage settings as one service: the bound and validated <see cref="PostgreSqlStorageOptions"/>.</summary>
internal sealed class PostgreSqlStorage(IOptions<PostgreSqlStorageOptions> options)
{
    /// <summary>The provider name <c>UsePostgreSql</c> selects (<see cref="KeyInfra.Storage.KeyInfraStorageSelection"/>).</summary>
    public const string ProviderName = "PostgreSql";

    public PostgreSqlStorageOptions Options => options.Value;
}
