using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Tests;

/// <summary>
/// Keeps every log entry (message and exception text) written through it, at every level, for tests that assert on
/// what a host logs. Shared by the test projects (linked like MSTestSettings.cs).
/// </summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, EventId EventId, LogLevel Level, string Text)> _entries = new();

    public IReadOnlyCollection<(string Category, EventId EventId, LogLevel Level, string Text)> Entries => _entries;

    /// <summary>Forgets what was captured so far (say, everything logged while a host started).</summary>
    public void Clear() => _entries.Clear();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner._entries.Enqueue((category, eventId, logLevel, formatter(state, exception) + " " + exception));
    }
}
