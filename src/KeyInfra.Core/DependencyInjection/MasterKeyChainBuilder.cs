using KeyInfra.Encryption;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures the sources of <see cref="KeyInfraMasterKeyBuilderExtensions.UseMasterKeyChain"/>: one current source,
/// whose current key wraps everything new, and any number of previous ones, whose keys still open what they wrapped.
/// </summary>
/// <remarks>
/// Each source is configured with its usual <c>Use…MasterKey(...)</c> method, called on the builder the action gets:
/// <code>
/// builder.UseMasterKeyChain(chain => chain
///     .Current(source => source.UseAzureKeyVaultMasterKey(o => { /* … */ }))
///     .Previous(source => source.UseVaultMasterKey())
///     .Previous(source => source.UseEnvironmentMasterKey()));
/// </code>
/// A source of one kind can be in a chain once (its options are the host's); give it its own older keys in its options.
/// </remarks>
public sealed class MasterKeyChainBuilder
{
    private readonly IKeyInfrastructureBuilder _builder;
    private readonly List<ServiceDescriptor> _previous = [];

    internal MasterKeyChainBuilder(IKeyInfrastructureBuilder builder)
    {
        _builder = builder;
    }

    internal ServiceDescriptor? CurrentSource { get; private set; }

    internal IReadOnlyList<ServiceDescriptor> PreviousSources => _previous;

    /// <summary>Sets the source whose current key wraps new data keys and makes new MACs.</summary>
    /// <param name="use">Calls one <c>Use…MasterKey(...)</c> method on the builder it gets.</param>
    /// <returns>This builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="use"/> registered no master key source, or the current source is set already.</exception>
    public MasterKeyChainBuilder Current(Action<IKeyInfrastructureBuilder> use)
    {
        if (CurrentSource is not null)
        {
            throw new InvalidOperationException("The master key chain has a current source already; a chain has one. Add the others with Previous(...).");
        }

        CurrentSource = Capture(use);
        return this;
    }

    /// <summary>Adds a source whose keys (current and older) open data wrapped before a rotation; nothing new is wrapped under them.</summary>
    /// <param name="use">Calls one <c>Use…MasterKey(...)</c> method on the builder it gets.</param>
    /// <returns>This builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="use"/> registered no master key source.</exception>
    public MasterKeyChainBuilder Previous(Action<IKeyInfrastructureBuilder> use)
    {
        _previous.Add(Capture(use));
        return this;
    }

    // The Use…MasterKey method registers its options and services as it always does, and its source as the host's
    // IEncryptionKeyProvider: that last registration is taken out and becomes a link of the chain.
    private ServiceDescriptor Capture(Action<IKeyInfrastructureBuilder> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        var services = _builder.Services;
        services.RemoveAll<IEncryptionKeyProvider>();
        use(_builder);
        var registered = services.Where(d => d.ServiceType == typeof(IEncryptionKeyProvider) && !d.IsKeyedService).ToList();
        if (registered.Count == 0)
        {
            throw new InvalidOperationException("The action given to the master key chain registered no master key source: call one Use…MasterKey(...) method in it.");
        }

        foreach (var descriptor in registered)
        {
            services.Remove(descriptor);
        }

        return registered[^1];
    }
}
