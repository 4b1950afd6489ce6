using System.Globalization;
using KeyInfra.Encryption.Rotation;

namespace KeyInfra.Sample.Output;

/// <summary>
/// Shows a re-wrap's progress on standard error: one line redrawn in place on a terminal, or a line per report when
/// standard error is a file or pipe (so logs stay readable).
/// </summary>
internal sealed class RewrapProgressBar(TextWriter error, bool redraw) : IProgress<MasterKeyRewrapProgress>
{
    private const int Width = 20;
    private int _lastLength;

    public void Report(MasterKeyRewrapProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var done = value.StepFinished;
        var filled = (int)Math.Round(Width * (value.StepNumber - (done ? 0 : 0.5)) / value.StepCount);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', Width - filled)}] step {value.StepNumber}/{value.StepCount} {value.Step}: " +
            $"{value.Examined} examined, {value.Changed} moved to the current key, {value.Failed} failed{(done ? " — done" : "")}");
        if (!redraw)
        {
            error.WriteLine(line);
            return;
        }

        // Pads over what the previous, longer line left.
        error.Write('\r' + line.PadRight(_lastLength));
        _lastLength = line.Length;
        if (done && value.StepNumber == value.StepCount)
        {
            error.WriteLine();
            _lastLength = 0;
        }
    }
}
