using KeyInfra.Encryption;
using KeyInfra.Errors;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.KeySources.Aws.Tests;

/// <summary>What the AWS source tests assert of a registered source.</summary>
internal static class SourceAssert
{
    /// <summary>Acquiring the ring fails with a <see cref="MasterKeyException"/>, which is returned.</summary>
    public static Task<MasterKeyException> AcquireFailsAsync(ServiceProvider services)
        => Assert.ThrowsExactlyAsync<MasterKeyException>(() => services.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync().AsTask());

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
