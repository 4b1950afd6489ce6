using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// The first start of two instances with different master keys under one explicit id, run against each provider's real
/// database: only the instance whose check value the database kept may start. The interleaving (the other instance's
/// check committed between this one's read and its add) is forced by a repository that adds the rival's check first.
/// </summary>
public abstract class MasterKeyFirstStartConformanceTests
{
    /// <summary>The provider's database; the tests make others like it.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task StartAsync_AnotherKeyUnderTheSameIdStoredFirstAtTheSameTime_FailsTheCheck()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var rivalKey = Convert.FromBase64String(TestHost.NewMasterKey());
        using var rival = new MasterKey(rivalKey, "shared-id");
        var racing = new RivalFirstRepository(database.MasterKeys, new MasterKeyCheck("shared-id", rival.ComputeCheckValue(), TestData.Epoch));

        var e = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => TestHost.StartAsync(
            database,
            masterKeyOptions: o => o.MasterKeyId = "shared-id",
            services: s => s.Replace(ServiceDescriptor.Singleton<IMasterKeyRepository>(racing))));

        Assert.AreEqual(ErrorCodes.MasterKeyCheckFailed, e.ErrorCode);
        Assert.AreEqual(1, racing.RivalAdds);
        await using var winner = await TestHost.StartAsync(database, Convert.ToBase64String(rivalKey), masterKeyOptions: o => o.MasterKeyId = "shared-id");
    }

    [TestMethod]
    public async Task StartAsync_SameKeyStoredFirstByAnotherInstance_Starts()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var key = TestHost.NewMasterKey();
        using var same = new MasterKey(Convert.FromBase64String(key), "shared-id");
        var racing = new RivalFirstRepository(database.MasterKeys, new MasterKeyCheck("shared-id", same.ComputeCheckValue(), TestData.Epoch));

        await using var host = await TestHost.StartAsync(
            database, key, masterKeyOptions: o => o.MasterKeyId = "shared-id", services: s => s.Replace(ServiceDescriptor.Singleton<IMasterKeyRepository>(racing)));

        Assert.AreEqual(1, racing.RivalAdds);
    }

    /// <summary>
    /// The provider's real repository, with another instance's add landing just before this instance's first add (after
    /// its read): the rival's check is added through the same database first.
    /// </summary>
    private sealed class RivalFirstRepository(IMasterKeyRepository inner, MasterKeyCheck rival) : IMasterKeyRepository
    {
        public int RivalAdds { get; private set; }

        public Task<IReadOnlyList<MasterKeyCheck>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public async Task AddAsync(MasterKeyCheck check, CancellationToken cancellationToken = default)
        {
            if (RivalAdds == 0)
            {
                RivalAdds++;
                await inner.AddAsync(rival, cancellationToken);
            }

            await inner.AddAsync(check, cancellationToken);
        }

        public Task<bool> ReplaceAsync(string keyId, byte[] expected, byte[] replacement, CancellationToken cancellationToken = default)
            => inner.ReplaceAsync(keyId, expected, replacement, cancellationToken);

        public Task<MasterSecretSalt> GetOrAddSecretSaltAsync(MasterSecretSalt proposed, CancellationToken cancellationToken = default)
            => inner.GetOrAddSecretSaltAsync(proposed, cancellationToken);
    }
}
