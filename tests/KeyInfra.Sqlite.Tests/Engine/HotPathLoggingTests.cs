using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Sqlite.Tests.Engine;

[TestClass]
public sealed class HotPathLoggingTests
{
    [TestMethod]
    public async Task SignAndVerify_LogNothingAtInformationOrAbove()
    {
        // A host logging at Information must not get a line per verification, from KeyInfra or from EF's
        // command logging underneath it.
        var collector = new LogCapture();
        await using var host = await KeyInfraTestHost.StartAsync(services: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(collector)));
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "quiet"));
            var document = "quiet"u8.ToArray();
            var signer = host.Get<ISigner>();
            var verifier = host.Get<IVerifier>();
            var signature = await signer.SignAsync(new SignRequest(key.Id, document));

            // The key change detector starts in the background and says so once, at Information; on a busy machine that
            // line can come after the first signature. It is not the hot path: wait for it before listening.
            for (var waited = 0; waited < 100 && !collector.Entries.Any(e => e.Category.EndsWith(".KeyChangeDetector", StringComparison.Ordinal)); waited++)
            {
                await Task.Delay(100);
            }

            collector.Clear();

            for (var i = 0; i < 20; i++)
            {
                await signer.SignAsync(new SignRequest(key.Id, document));
                await verifier.VerifyAsync(new VerificationRequest(key.Id, document, signature.Signature));
                await verifier.VerifyAsync(new VerificationRequest(key.Id, document, new byte[64]));
            }

            await verifier.VerifyBatchAsync([new VerificationRequest(key.Id, document, signature.Signature)]);

            var loud = collector.Entries.Where(e => e.Level >= LogLevel.Information).Select(e => $"{e.Category}: {e.Text}").ToList();
            Assert.IsEmpty(loud, string.Join(Environment.NewLine, loud));
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }
}
