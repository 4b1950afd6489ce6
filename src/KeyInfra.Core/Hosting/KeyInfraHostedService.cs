using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Storage;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.Hosting;

/// <summary>
/// Starts KeyInfra with the host: applies migrations (when <see cref="KeyInfraOptions.MigrateOnStartup"/>),
/// checks the master key against the database before anything is written, and on stop commits every
/// queued verification record.
/// </summary>
internal sealed class KeyInfraHostedService(
    IServiceProvider services,
    IOptions<KeyInfraOptions> options,
    ILogger<KeyInfraHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IKeyRepository>() is null)
        {
            ThrowHelper.NoStorageProvider();
        }

        if (options.Value.MigrateOnStartup && services.GetService<IKeyInfraMigrator>() is { } migrator)
        {
            Log.MigratingOnStartup(logger);
            await migrator.MigrateAsync(null, cancellationToken).ConfigureAwait(false);
        }

        if (services.GetService<IEncryptionKeyProvider>() is null)
        {
            Log.NoMasterKeySource(logger);
        }
        else
        {
            await services.GetRequiredService<MasterKeyValidator>().EnsureValidatedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Buffered records are committed before the host goes; the container's disposal then closes the writer.
        try
        {
            await services.GetRequiredService<IVerificationLog>().FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Errors.VerificationLogException)
        {
            // The writer has logged what it could not commit or seal (events 1103, 1106, 1107); a host that stops
            // must still stop, and the container's disposal tries the seal once more.
        }
    }
}
