using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// Logs KeyInfra's failed storage commands itself, in place of EF Core's <c>CommandError</c> (which KeyInfra's context
/// turns down to Debug): at Error, unless the failure happened inside <see cref="ExpectFailure"/>, whose caller may
/// handle it (a ring version another writer took first). Such a failure is logged at Debug, and at Error as well only if
/// the caller says it did not handle it (<see cref="FailureScope.NotHandled"/>).
/// </summary>
/// <remarks>Thread-safe: stateless apart from the async-local scope.</remarks>
internal sealed class CommandFailureInterceptor(ILogger<CommandFailureInterceptor> logger) : DbCommandInterceptor
{
    private static readonly AsyncLocal<FailureScope?> s_scope = new();

    /// <summary>Marks the commands of the current async flow, until disposed, as ones whose failure the caller may handle.</summary>
    public static FailureScope ExpectFailure()
    {
        var scope = new FailureScope(s_scope.Value);
        s_scope.Value = scope;
        return scope;
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
        var elapsedMs = eventData.Duration.TotalMilliseconds;
        if (s_scope.Value is { } scope)
        {
            Log.CommandFailedAsExpected(logger, elapsedMs, command.CommandText, eventData.Exception);
            scope.Failed(logger, elapsedMs, command.CommandText, eventData.Exception);
        }
        else
        {
            Log.CommandFailed(logger, elapsedMs, command.CommandText, eventData.Exception);
        }
    }

    /// <summary>One <see cref="ExpectFailure"/>: remembers the failed command, so the caller can report it after all.</summary>
    internal sealed class FailureScope(FailureScope? parent) : IDisposable
    {
        private (ILogger Logger, double ElapsedMs, string CommandText, Exception Exception)? _failure;
        private bool _disposed;

        public void Failed(ILogger logger, double elapsedMs, string commandText, Exception exception) => _failure = (logger, elapsedMs, commandText, exception);

        /// <summary>The caller did not handle the failure: log it at Error, as any other failed command.</summary>
        public void NotHandled()
        {
            if (_failure is { } failure)
            {
                Log.CommandFailed(failure.Logger, failure.ElapsedMs, failure.CommandText, failure.Exception);
                _failure = null;
            }
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                s_scope.Value = parent;
            }
        }
    }
}
