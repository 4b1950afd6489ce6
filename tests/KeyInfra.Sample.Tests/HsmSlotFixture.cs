using System.Text;

namespace KeyInfra.Sample.Tests;

/// <summary>
/// A sample workspace with a SoftHSM2 token of its own, the module stored (<c>hsm modules add</c>) and, unless asked
/// otherwise, a slot on the token (<c>hsm slots add</c>, the PIN on standard input), all through the CLI.
/// </summary>
internal sealed class HsmSlotFixture : IDisposable
{
    public const string ModuleName = "softhsm";

    private HsmSlotFixture(SampleWorkspace workspace, SoftHsmToken token)
    {
        Workspace = workspace;
        Token = token;
    }

    public SampleWorkspace Workspace { get; }

    public SoftHsmToken Token { get; }

    /// <summary>A new token and workspace with the module stored, and a slot named <paramref name="slot"/> unless it is <c>null</c>.</summary>
    public static async Task<HsmSlotFixture> CreateAsync(string? slot = "main")
    {
        var token = SoftHsmToken.Create();
        var fixture = new HsmSlotFixture(new SampleWorkspace(), token);
        try
        {
            (await fixture.Workspace.RunAsync("hsm", "modules", "add", "--name", ModuleName, "--library", token.ModulePath)).AssertExitCode(0);
            if (slot is not null)
            {
                (await fixture.AddSlotAsync(slot, token.Pin)).AssertExitCode(0);
            }

            return fixture;
        }
        catch
        {
            fixture.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>hsm slots add</c> for the fixture's token with <paramref name="pin"/> on standard input.</summary>
    public Task<SampleResult> AddSlotAsync(string slot, string pin, params string[] extra)
        => Workspace.RunWithInputAsync(Encoding.UTF8.GetBytes(pin + "\n"),
            ["hsm", "slots", "add", "--name", slot, "--module", ModuleName, "--token-label", Token.Label, "--pin-stdin", .. extra]);

    /// <summary>Creates a key in the slot's token through the CLI and returns its id.</summary>
    public async Task<string> CreateHsmKeyAsync(string type, string slot = "main")
    {
        var result = await Workspace.RunAsync("keys", "create", "--type", type, "--name", $"hsm {type}", "--hsm", slot, "--json");
        result.AssertExitCode(0);
        return result.Json().RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Asserts the token's PIN appears nowhere in what the sample printed.</summary>
    public void AssertPinNotShown(SampleResult result)
    {
        Assert.DoesNotContain(Token.Pin, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Token.Pin, result.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Workspace.Dispose();
        Token.Dispose();
    }
}
