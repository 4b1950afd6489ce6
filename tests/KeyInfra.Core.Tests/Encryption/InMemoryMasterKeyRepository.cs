using KeyInfra.Storage;

namespace KeyInfra.Core.Tests.Encryption;

/// <summary>
/// A real second implementation of <see cref="IMasterKeyRepository"/> in memory, keeping its contract (the first check and
/// the first salt stay), for tests of the key source that need no database. Counts salt calls.
/// </summary>
internal sealed class InMemoryMasterKeyRepository : IMasterKeyRepository
{
    private readonly Lock _lock = new();
    private readonly List<MasterKeyCheck> _checks = [];
    private MasterSecretSalt? _salt;

    public InMemoryMasterKeyRepository(MasterSecretSalt? salt = null) => _salt = salt;

    public int SaltCalls { get; private set; }

    public MasterSecretSalt? Salt
    {
        get
        {
            lock (_lock)
            {
                return _salt;
            }
        }
    }

    public Task<IReadOnlyList<MasterKeyCheck>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<MasterKeyCheck>>([.. _checks]);
        }
    }

    public Task AddAsync(MasterKeyCheck check, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_checks.Exists(c => c.KeyId == check.KeyId))
            {
                _checks.Add(check);
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> ReplaceAsync(string keyId, byte[] expected, byte[] replacement, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var index = _checks.FindIndex(c => c.KeyId == keyId && c.CheckValue.AsSpan().SequenceEqual(expected));
            if (index < 0)
            {
                return Task.FromResult(false);
            }

            _checks[index] = _checks[index] with { CheckValue = (byte[])replacement.Clone() };
            return Task.FromResult(true);
        }
    }

    public Task<MasterSecretSalt> GetOrAddSecretSaltAsync(MasterSecretSalt proposed, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            SaltCalls++;
            _salt ??= proposed with { Salt = (byte[])proposed.Salt.Clone() };
            return Task.FromResult(_salt with { Salt = (byte[])_salt.Salt.Clone() });
        }
    }
}
