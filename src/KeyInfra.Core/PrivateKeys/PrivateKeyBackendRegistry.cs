using KeyInfra.Errors;

namespace KeyInfra.PrivateKeys;

/// <summary>The registered private-key backends by name: what creation and signing dispatch on.</summary>
internal sealed class PrivateKeyBackendRegistry
{
    private readonly Dictionary<string, IPrivateKeyBackend> _backends = new(StringComparer.Ordinal);

    public PrivateKeyBackendRegistry(IEnumerable<IPrivateKeyBackend> backends)
    {
        foreach (var backend in backends)
        {
            if (!_backends.TryAdd(backend.Name, backend))
            {
                ThrowHelper.DuplicatePrivateKeyBackend(backend.Name);
            }
        }
    }

    /// <summary>The backend named <paramref name="name"/>.</summary>
    /// <exception cref="KeyInfraException">KI4004: no backend has that name.</exception>
    public IPrivateKeyBackend Get(string name)
    {
        if (!_backends.TryGetValue(name, out var backend))
        {
            ThrowHelper.UnknownPrivateKeyBackend(name, _backends.Keys.Order(StringComparer.Ordinal));
        }

        return backend;
    }
}
