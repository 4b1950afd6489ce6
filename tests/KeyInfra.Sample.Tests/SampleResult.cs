using System.Text.Json;

namespace KeyInfra.Sample.Tests;

/// <summary>What one in-process run of the sample returned and printed.</summary>
internal sealed record SampleResult(int ExitCode, string Output, string Error)
{
    public JsonDocument Json() => JsonDocument.Parse(Output);

    public void AssertExitCode(int expected)
        => Assert.AreEqual(expected, ExitCode, $"exit code; stdout:\n{Output}\nstderr:\n{Error}");
}
