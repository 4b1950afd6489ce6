using Microsoft.Extensions.Options;

namespace KeyInfra.PostgreSql;

/// <summary>The rules between settings of <see cref="PostgreSqlStorageOptions"/>, checked when the host starts; single values are checked where they are set.</summary>
internal sealed class PostgreSqlStorageOptionsValidator : IValidateOptions<PostgreSqlStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MinPoolSize > options.MaxPoolSize)
        {
            failures.Add($"The minimum pool size ({options.MinPoolSize}) is above the maximum ({options.MaxPoolSize}). Lower KeyInfra:PostgreSql:MinPoolSize or raise MaxPoolSize.");
        }

        if (options.RootCertificatePath is { } path && !File.Exists(path))
        {
            failures.Add($"The root certificate file '{path}' (KeyInfra:PostgreSql:RootCertificatePath) does not exist. Give the path of the PEM file of the CA that signed the server's certificate.");
        }

        if (options.MigrationConnectionString is { } migration)
        {
            try
            {
                Connection.PostgreSqlConnectionSettings.Parse(migration, options, nameof(options.MigrationConnectionString));
            }
            catch (ArgumentException ex)
            {
                // The message names no part of the string (it holds a password).
                failures.Add($"KeyInfra:PostgreSql:MigrationConnectionString: {ex.Message.Split(" (Parameter", 2)[0]}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
