using KeyInfra.Authorization;
using KeyInfra.Encryption;
using KeyInfra.Sample.Input;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Sample.Hosting;

/// <summary>
/// Builds the sample's generic host: KeyInfra on a SQLite file, with the master key from the environment
/// or, when the environment has none, the development master key beside the database.
/// </summary>
internal static class SampleHost
{
    /// <summary>The folder, under the working directory, that holds the default database and the development key.</summary>
    public const string DataDirectoryName = ".keyinfra";

    /// <summary>The default database file name.</summary>
    public const string DatabaseFileName = "keyinfra.db";

    /// <summary>The environment variables that, when either is set, supply the master key (UseEnvironmentMasterKey's defaults).</summary>
    public static readonly string[] MasterKeyVariables = [EnvironmentMasterKeyOptions.MasterKeyVariable, EnvironmentMasterKeyOptions.MasterSecretVariable];

    /// <summary>
    /// The variable that switches the sample to PostgreSQL: a full Npgsql connection string (with TLS settings) of the
    /// application role; the owner's, for migrations, goes in <see cref="PostgreSqlMigrationVariable"/>. It is read from the environment, never from the command line, where a password
    /// would show in the process list and the shell history.
    /// </summary>
    public const string PostgreSqlVariable = "KEYINFRA_POSTGRES";

    /// <summary>
    /// The variable with the connection string of the role that owns the tables, used only for migrations
    /// (<c>PostgreSqlStorageOptions.MigrationConnectionString</c>); <see cref="PostgreSqlVariable"/> is then the
    /// application role. Read from the environment only, like it.
    /// </summary>
    public const string PostgreSqlMigrationVariable = "KEYINFRA_POSTGRES_MIGRATION";

    /// <summary>
    /// The variable that turns the HSM commands on: the absolute path of the PKCS#11 library the sample may load (for
    /// SoftHSM2 <c>/usr/lib/softhsm/libsofthsm2.so</c>). When it is set (or the <c>KeyInfra:Pkcs11</c> configuration section
    /// exists), the sample registers <c>AddPkcs11</c> with that path as the one allowed module path.
    /// </summary>
    public const string Pkcs11ModuleVariable = "KEYINFRA_PKCS11_MODULE";

    /// <summary>The configuration section KeyInfra.Pkcs11 binds its options from.</summary>
    public const string Pkcs11Section = "KeyInfra:Pkcs11";

    /// <summary>The PKCS#11 library path when <see cref="Pkcs11ModuleVariable"/> is set; otherwise <c>null</c>.</summary>
    public static string? Pkcs11ModulePath()
        => Environment.GetEnvironmentVariable(Pkcs11ModuleVariable) is { Length: > 0 } value ? value : null;

    /// <summary>The PostgreSQL connection string when <see cref="PostgreSqlVariable"/> is set; otherwise <c>null</c> (SQLite).</summary>
    public static string? PostgreSqlConnectionString()
        => Environment.GetEnvironmentVariable(PostgreSqlVariable) is { Length: > 0 } value ? value : null;

    /// <summary>Where the data lives, for humans: the SQLite file, or the PostgreSQL server and database (never the password).</summary>
    public static string DescribeStore(string databasePath)
    {
        if (PostgreSqlConnectionString() is not { } connectionString)
        {
            return databasePath;
        }

        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL database '{builder.Database}' on {builder.Host}:{builder.Port}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL (the connection string in " + PostgreSqlVariable + " is malformed)";
        }
    }

    public static string DefaultDatabasePath(string workingDirectory)
        => Path.Combine(workingDirectory, DataDirectoryName, DatabaseFileName);

    /// <summary>Whether the environment supplies the master key, so no development key is used.</summary>
    public static bool MasterKeyFromEnvironment()
        => MasterKeyVariables.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));

    /// <summary>Builds (does not start) the host.</summary>
    /// <param name="workingDirectory">The content root; <c>appsettings.json</c> there is read (the <c>KeyInfra</c> section).</param>
    /// <param name="databasePath">The SQLite file; its folder is created if missing.</param>
    /// <param name="migrateOnStartup"><c>false</c> for the <c>migrate</c> commands, which migrate by hand.</param>
    /// <param name="error">Where warnings and logs go (stderr).</param>
    public static IHost Build(string workingDirectory, string databasePath, bool migrateOnStartup, TextWriter error)
    {
        var dataDirectory = Path.GetDirectoryName(databasePath) ?? workingDirectory;
        var postgres = PostgreSqlConnectionString();
        if (postgres is not null && !MasterKeyFromEnvironment())
        {
            // A shared server's data must not be encrypted under a key lying in someone's working folder.
            throw new UsageException($"On PostgreSQL ({PostgreSqlVariable}) the sample needs the master key from the environment: set {EnvironmentMasterKeyOptions.MasterKeyVariable} " +
                "(generate one with: openssl rand -base64 32). The development master key file is for the local SQLite file only.");
        }

        EnsureDataDirectory(dataDirectory);

        string? developmentKey = null;
        if (postgres is null && !MasterKeyFromEnvironment())
        {
            developmentKey = DevelopmentMasterKey.LoadOrCreate(dataDirectory);
            WriteDevelopmentKeyWarning(error, Path.Combine(dataDirectory, DevelopmentMasterKey.FileName), workingDirectory);
        }

        var configuration = new ConfigurationManager();

        // One short-lived host per command: watching appsettings.json for changes would only cost file handles.
        configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = workingDirectory,
            Configuration = configuration,
        });

        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new TextWriterLoggerProvider(error));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // The command line is the operator; the demo sets a user caller for its access-control part.
        builder.Services.AddSingleton<AsyncLocalCallerContext>();
        builder.Services.AddSingleton<ICallerContext>(sp => new CliCallerContext(sp.GetRequiredService<AsyncLocalCallerContext>()));
        var keyInfra = builder.Services
            .AddKeyInfrastructure(options =>
            {
                if (!migrateOnStartup)
                {
                    options.MigrateOnStartup = false;
                }
            });

        // Every call is checked against the caller's roles and permissions (docs/access-control.md).
        keyInfra.UseRoleBasedAccessControl();

        if (postgres is not null)
        {
            var migration = Environment.GetEnvironmentVariable(PostgreSqlMigrationVariable) is { Length: > 0 } owner ? owner : null;
            keyInfra.UsePostgreSql(postgres, pg => pg.MigrationConnectionString = migration);
        }
        else
        {
            keyInfra.UseSqlite(new SqliteConnectionStringBuilder { DataSource = databasePath }.ToString());
        }

        if (developmentKey is null)
        {
            // KEYINFRA_MASTER_KEY or MASTER_SECRET, with KEYINFRA_PREVIOUS_MASTER_KEYS and KEYINFRA_MASTER_KEY_ID.
            keyInfra.UseEnvironmentMasterKey();
        }
        else
        {
            keyInfra.UseEnvironmentMasterKey(options => options.MasterKey = developmentKey);
        }

        // The HSM: only when asked for, so the sample needs no PKCS#11 library otherwise. The library path allowed here
        // comes from the environment or configuration, never from the database (a stored path is not trusted).
        var modulePath = Pkcs11ModulePath();
        if (modulePath is not null || builder.Configuration.GetSection(Pkcs11Section).Exists())
        {
            keyInfra.AddPkcs11(options =>
            {
                if (modulePath is not null)
                {
                    options.ModulePath = modulePath;
                }
            });
        }

        return builder.Build();
    }

    private static void EnsureDataDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                // 0700: the folder may hold the development master key; nobody else may list it or swap its files.
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            if (string.Equals(Path.GetFileName(directory), DataDirectoryName, StringComparison.Ordinal))
            {
                // The folder holds a database and perhaps a development key: keep both out of version control.
                File.WriteAllText(Path.Combine(directory, ".gitignore"), "# Created by the KeyInfra sample: never commit the database or the development master key.\n*\n");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"The database folder '{directory}' could not be created ({e.Message}). Choose another place with --db <path>.", e);
        }
    }

    private static void WriteDevelopmentKeyWarning(TextWriter error, string keyPath, string workingDirectory)
    {
        var shown = Path.GetRelativePath(workingDirectory, keyPath);
        if (shown.StartsWith("..", StringComparison.Ordinal))
        {
            shown = keyPath;
        }

        error.WriteLine($"!!! WARNING: DEVELOPMENT MASTER KEY in use ({shown}): private keys are encrypted under a key stored in plain sight on this disk.");
        error.WriteLine("!!! For development only; do not use in production; set KEYINFRA_MASTER_KEY (generate one with: openssl rand -base64 32). Never commit the key file.");
    }
}
