using System.Text;
using KeyInfra.Encryption.Rotation;
using KeyInfra.Keys;
using KeyInfra.Pkcs11;
using KeyInfra.Pkcs11.Slots;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// The PKCS#11 backend end to end on PostgreSQL, as the application role under row-level security: a slot and a key in
/// the SoftHSM2 token, signatures, a restart, and a master key rotation whose re-wrap moves the slot's PIN.
/// </summary>
[TestClass]
public sealed class PostgreSqlHsmBackendTests
{
    private static readonly byte[] Document = "signed in the token, stored in PostgreSQL"u8.ToArray();

    [TestMethod]
    public async Task HsmKey_OnPostgreSql_SignsVerifiesSurvivesARestartAndItsPinMovesWithARotation()
    {
        // A token of its own: KeyInfra.Pkcs11.Tests creates objects in the shared ones from another process meanwhile.
        using var token = SoftHsmToken.Create();
        var modulePath = token.ModulePath;
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var (oldKey, newKey) = (PostgreSqlTestHost.NewMasterKey(), PostgreSqlTestHost.NewMasterKey());
        KeyId id;
        byte[] first;
        await using (var host = await StartAsync(database, modulePath, oldKey))
        {
            var hsm = host.Get<IHsmManager>();
            await hsm.AddModuleAsync("softhsm", modulePath);
            var pin = Encoding.UTF8.GetBytes(token.Pin);
            await hsm.AddSlotAsync(new AddHsmSlotRequest("main", "softhsm") { TokenLabel = token.Label }, pin);
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "pg hsm")
            {
                Backend = Pkcs11BackendOptionNames.BackendName,
                BackendOptions = new Dictionary<string, string> { [Pkcs11BackendOptionNames.Slot] = "main" },
            });
            id = key.Id;
            first = (await host.Get<ISigner>().SignAsync(new SignRequest(id, Document))).Signature;
            Assert.AreEqual(VerificationStatus.Valid, (await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, first))).Status);
        }

        // A rotation: the re-wrap's hsm-pins step moves the PIN; then the old key goes and the token still opens.
        await using (var rotated = await StartAsync(database, modulePath, newKey, previous: oldKey))
        {
            var summary = await rotated.Get<IMasterKeyRotation>().RewrapAsync();
            Assert.IsTrue(summary.Complete, string.Join("; ", summary.StillUsed.Select(k => $"{k.Id}: {k.DescribeUses()}")));
            Assert.AreEqual(1L, summary.OtherSteps.Single(s => s.Step == "hsm-pins").Changed);
        }

        await using var restarted = await StartAsync(database, modulePath, newKey);
        var again = await restarted.Get<ISigner>().SignAsync(new SignRequest(id, Document));
        Assert.AreEqual(VerificationStatus.Valid, (await restarted.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, again.Signature))).Status);
        Assert.AreEqual(VerificationStatus.Valid, (await restarted.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, first))).Status);
        Assert.AreEqual(1L, await database.AdminScalarAsync<long>("SELECT count(*) FROM hsm_slots"));
    }

    private static Task<PostgreSqlTestHost> StartAsync(PostgreSqlTestDatabase database, string modulePath, string masterKey, string? previous = null)
        => PostgreSqlTestHost.StartAsync(
            database.AppConnectionString,
            masterKey,
            masterKeyOptions: o => o.PreviousMasterKeys = previous,
            services: s => s.AddKeyInfrastructure().AddPkcs11(o => o.ModulePath = modulePath));
}
