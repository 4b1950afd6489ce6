using Microsoft.Extensions.Options;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>The PostgreSQL storage settings as one service: the bound and validated <see cref="PostgreSqlStorageOptions"/>.</summary>
internal sealed class PostgreSqlStorage(IOptions<PostgreSqlStorageOptions> options)
{
    public PostgreSqlStorageOptions Options => options.Value;
}
