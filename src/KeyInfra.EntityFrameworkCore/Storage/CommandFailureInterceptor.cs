using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// Logs KeyInfra's failed storage commands itself, in place of EF Core's <c>CommandError</c> (which KeyInfra's context
/// turns down to Debug): at Error, unless the failure happened inside <see cref="ExpectFailure"/>, where the caller
/// handles it (a ring version another writer took first) and logs at Error only what it does not handle.
/// </summary>
/// <remarks>Thread-safe: stateless apart from the async-local scope.</remarks>
internal sealed class CommandFailureInterceptor(ILogger<CommandFailureInterceptor> logger) : DbCommandInterceptor
{
    private static readonly AsyncLocal<int> s_expectedDepth = new();

    /// <summary>Marks the commands of the current async flow, until disposed, as ones whose failure the caller handles.</summary>
    public static IDisposable ExpectFailure()
    {
        s_expectedDepth.Value++;
        return new Scope();
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Report(command, eventData);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Report(command, eventData);
        return Task.CompletedTask;
    }

    private void Report(DbCommand command, CommandErrorEventData eventData)
    {
        // The SQL text holds parameter names, never their values.
        if (s_expectedDepth.Value > 0)
        {
            Log.CommandFailedAsExpected(logger, eventData.Duration.TotalMilliseconds, command.CommandText, eventData.Exception);
        }
        else
        {
            Log.CommandFailed(logger, eventData.Duration.TotalMilliseconds, command.CommandText, eventData.Exception);
        }
    }

    private sealed class Scope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                s_expectedDepth.Value--;
            }
        }
    }
}
