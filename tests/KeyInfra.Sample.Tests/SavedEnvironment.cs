namespace KeyInfra.Sample.Tests;

/// <summary>Environment variables saved when created and put back by Restore: a test class's variables are process-wide.</summary>
internal sealed class SavedEnvironment(params string[] names)
{
    private readonly Dictionary<string, string?> _saved = names.ToDictionary(name => name, Environment.GetEnvironmentVariable, StringComparer.Ordinal);

    public void Restore()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
