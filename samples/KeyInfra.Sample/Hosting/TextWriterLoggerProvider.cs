using Microsoft.Extensions.Logging;

namespace KeyInfra.Sample.Hosting;

/// <summary>
/// Sends log messages to the CLI's error writer (stderr), one line each. Exceptions are shown by type and
/// message only: the CLI prints no stack traces, and its own error line says what to do.
/// </summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TextWriterLogger(writer, categoryName);

    public void Dispose()
    {
    }
}
