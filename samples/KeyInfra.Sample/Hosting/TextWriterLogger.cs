using Microsoft.Extensions.Logging;

namespace KeyInfra.Sample.Hosting;

/// <summary>A logger that writes "level: category: message" lines; see <see cref="TextWriterLoggerProvider"/>.</summary>
internal sealed class TextWriterLogger(TextWriter writer, string categoryName) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var level = logLevel switch
        {
            LogLevel.Critical => "crit",
            LogLevel.Error => "fail",
            LogLevel.Warning => "warn",
            LogLevel.Information => "info",
            _ => "dbug",
        };
        var message = formatter(state, exception).ReplaceLineEndings(" ");
        var cause = exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")})";
        writer.WriteLine($"{level}: {categoryName}: {message}{cause}");
    }
}
