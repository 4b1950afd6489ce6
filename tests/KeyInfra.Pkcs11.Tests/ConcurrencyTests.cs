using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Keys;
using KeyInfra.Pkcs11.Diagnostics;
using KeyInfra.Pkcs11.Sessions;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>
/// 8 parallel signers × 1,000 signatures on each algorithm through the pool (RSA at 2048 bits, for time): no PKCS#11
/// error, and every signature valid through IVerifier and through the platform's own crypto. And 8 keys generated at
/// once in one token, which SoftHSM2's file store survives only because KeyInfra makes a token's objects one at a time.
/// </summary>
[TestClass]
public sealed class ConcurrencyTests
{
    private const int Signers = 8;
    private const int SignaturesPerSigner = 1_000;
    private const string Slot = "concurrency";
    private static Pkcs11TestHost s_host = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        // Verification records are not what this test is about: nothing is logged, every verification still runs.
        s_host = await Pkcs11TestHost.StartAsync(options: o => o.VerificationLog.Mode = LogMode.Off);
        await s_host.AddSlotAsync(Slot, SoftHsm.Token, SoftHsm.Pin);
    }

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        if (s_host is not null)
        {
            await s_host.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task CreateAsync_EightKeysAtOnceInOneToken_AllAreMadeAndEachSigns()
    {
        var specs = new[] { KeySpec.Rsa2048, KeySpec.EcdsaP256, KeySpec.EcdsaP384, KeySpec.Rsa2048, KeySpec.EcdsaP256, KeySpec.EcdsaP521, KeySpec.Rsa2048, KeySpec.EcdsaP256 };

        var keys = await Task.WhenAll(specs.Select((spec, i) => Task.Run(() => s_host.CreateHsmKeyAsync(spec, Slot, name: $"generated-together-{i}"))));

        Assert.AreEqual(specs.Length, keys.Select(k => k.Id).Distinct().Count());
        foreach (var (key, spec) in keys.Zip(specs))
        {
            var data = RandomNumberGenerator.GetBytes(32);
            var signature = (await s_host.Signer.SignAsync(new SignRequest(key.Id, data))).Signature;
            var spki = await s_host.KeyStore.ExportPublicKeyAsync(key.Id, KeyFormat.Der);
            Assert.IsTrue(PlatformVerifier.Verify(spec, spki, data, signature), $"{spec.Name} key {key.Id} signs");
        }
    }

    [TestMethod]
    [DataRow("ecdsa-p256")]
    [DataRow("ecdsa-p384")]
    [DataRow("ecdsa-p521")]
    [DataRow("ecdsa-secp256k1")]
    [DataRow("ed25519")]
    [DataRow("rsa-2048")]
    public async Task SignAsync_EightParallelSigners_EverySignatureValidAndNoPkcs11Error(string specName)
    {
        var spec = KeySpec.Parse(specName);
        var key = await s_host.CreateHsmKeyAsync(spec, Slot, name: $"concurrent-{specName}");
        var spki = await s_host.KeyStore.ExportPublicKeyAsync(key.Id, KeyFormat.Der);
        using var errors = new MetricCollector<long>(s_host.Get<IMeterFactory>(), KeyInfraInstruments.MeterName, Pkcs11Instruments.Errors);

        var results = await Task.WhenAll(Enumerable.Range(0, Signers).Select(signer => Task.Run(async () =>
        {
            var signed = new List<(byte[] Data, byte[] Signature)>(SignaturesPerSigner);
            for (var i = 0; i < SignaturesPerSigner; i++)
            {
                var data = RandomNumberGenerator.GetBytes(48);
                signed.Add((data, (await s_host.Signer.SignAsync(new SignRequest(key.Id, data))).Signature));
            }

            return signed;
        })));

        Assert.IsEmpty(errors.GetMeasurementSnapshot(), $"PKCS#11 calls failed: {string.Join(", ", errors.GetMeasurementSnapshot().Select(m => m.Tags[Pkcs11Instruments.ReturnValueTag]))}");
        var all = results.SelectMany(r => r).ToList();
        Assert.HasCount(Signers * SignaturesPerSigner, all);
        var invalid = 0;
        await Parallel.ForEachAsync(all, async (item, cancellationToken) =>
        {
            var verified = await s_host.Verifier.VerifyAsync(new VerificationRequest(key.Id, item.Data, item.Signature), cancellationToken);
            if (verified.Status != VerificationStatus.Valid || !PlatformVerifier.Verify(spec, spki, item.Data, item.Signature))
            {
                Interlocked.Increment(ref invalid);
            }
        });
        Assert.AreEqual(0, invalid, $"{invalid} of {all.Count} {specName} signatures did not verify.");

        // The pool stayed within its bound: one session per concurrent signer at most.
        var pool = (await s_host.Get<Pkcs11Runtime>().FindSlotAsync(key.TenantId, Slot, default)).Pool;
        Assert.IsLessThanOrEqualTo(new Pkcs11Options().MaxSessionsPerToken, pool.OpenSessions);
    }
}
