using KeyInfra.Sample.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// One command's run: its output settings and, once the command has checked its input, the host. The host is
/// built only then, so bad input never creates a database or a development key.
/// </summary>
internal sealed class CommandContext(CliSession session, string databasePath, bool json) : IAsyncDisposable
{
    private IHost? _host;
    private bool _started;

    public TextWriter Output => session.Output;

    public TextWriter Error => session.Error;

    public Stream Input => session.Input;

    public string WorkingDirectory => session.WorkingDirectory;

    public bool InteractiveInput => session.InteractiveInput;

    public bool InteractiveError => session.InteractiveError;

    public string DatabasePath { get; } = databasePath;

    public bool Json { get; } = json;

    /// <summary>Builds and starts the host: migrates the database (unless configured off) and checks the master key.</summary>
    public async Task<IServiceProvider> StartAsync(CancellationToken cancellationToken)
    {
        _host = SampleHost.Build(WorkingDirectory, DatabasePath, migrateOnStartup: true, Error);
        _started = true;
        await _host.StartAsync(cancellationToken);
        return _host.Services;
    }

    /// <summary>
    /// Builds the host without starting it, for the <c>migrate</c> commands: nothing is migrated on start, and the
    /// master key is not checked against tables that may not exist yet.
    /// </summary>
    public IServiceProvider BuildForMigrations()
    {
        _host = SampleHost.Build(WorkingDirectory, DatabasePath, migrateOnStartup: false, Error);
        return _host.Services;
    }

    public static T Get<T>(IServiceProvider services)
        where T : notnull
        => services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        if (_host is null)
        {
            return;
        }

        try
        {
            if (_started)
            {
                // Commits any verification record still queued (Buffered log mode).
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _host.StopAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Error.WriteLine($"warn: shutting down: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            if (_host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                _host.Dispose();
            }
        }
    }
}
