using System.Security.Cryptography;
using KeyInfra.Encryption;
using KeyInfra.KeySources.Vault;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyInfra.KeySources.Vault.Tests;

/// <summary>A fake Vault with a secret in it, and KeyInfra's Vault source registered against it the way a host does.</summary>
internal static class VaultFixture
{
    public const string Mount = "secret";
    public const string SecretPath = "keyinfra/test";

    public static string NewKeyText() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes));

    public static string IdOf(string keyText) => MasterKey.Fingerprint(Convert.FromBase64String(keyText));

    /// <summary>Options for the fake: its address, its CA, no retries (fast failures), no refresh unless asked.</summary>
    public static Action<VaultMasterKeyOptions> Options(FakeVaultServer vault, string? token, Action<VaultMasterKeyOptions>? more = null) => o =>
    {
        o.Address = vault.Address;
        o.Mount = Mount;
        o.Path = SecretPath;
        o.Token = token;
        o.CaCertificatePath = vault.CaCertificatePath;
        o.MaxRetries = 0;
        o.RetryDelay = TimeSpan.FromMilliseconds(10);
        o.RequestTimeout = TimeSpan.FromSeconds(5);
        o.RefreshInterval = TimeSpan.Zero;
        more?.Invoke(o);
    };

    /// <summary>The container of a host that uses the Vault source (nothing started).</summary>
    public static ServiceProvider Services(Action<VaultMasterKeyOptions> options, LogCapture? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        services.AddKeyInfrastructure().UseVaultMasterKey(options);
        services.AddHealthChecks().AddKeyInfrastructureVault();
        return services.BuildServiceProvider();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, for at most 10 seconds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(50);
        }
    }
}
