using System.Diagnostics.CodeAnalysis;
using KeyInfra.Encryption;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Selects the master key source, whichever package it comes from.</summary>
/// <remarks>
/// Each key source package builds its own <c>Use…MasterKey()</c> on these methods (as
/// <c>UseEnvironmentMasterKey</c> does), registering its options first and then its source.
/// </remarks>
public static class KeyInfraMasterKeyBuilderExtensions
{
    /// <summary>
    /// Makes <typeparamref name="TSource"/> the host's master key source: a singleton created by the container
    /// (its constructor's dependencies are resolved from it) and disposed with it.
    /// </summary>
    /// <remarks>
    /// Replaces any master key source registered before (a host has one). Safe to call more than once: the source
    /// is registered once. Derive the source from <see cref="MasterKeySourceBase"/>. It must not depend on scoped
    /// services: it is a singleton.
    /// </remarks>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IKeyInfrastructureBuilder UseMasterKeySource<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSource>(this IKeyInfrastructureBuilder builder)
        where TSource : class, IEncryptionKeyProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IEncryptionKeyProvider>();
        builder.Services.AddSingleton<IEncryptionKeyProvider, TSource>();
        return builder;
    }

    /// <summary>
    /// Makes the source that <paramref name="factory"/> creates the host's master key source: a singleton, created
    /// on first use and disposed with the container.
    /// </summary>
    /// <remarks>
    /// Replaces any master key source registered before (a host has one). Safe to call more than once: the last
    /// factory wins and the source is registered once. <paramref name="factory"/> runs against the root provider,
    /// so it must not resolve scoped services.
    /// </remarks>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <param name="factory">Creates the source.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IKeyInfrastructureBuilder UseMasterKeySource<TSource>(this IKeyInfrastructureBuilder builder, Func<IServiceProvider, TSource> factory)
        where TSource : class, IEncryptionKeyProvider
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.RemoveAll<IEncryptionKeyProvider>();
        builder.Services.AddSingleton<IEncryptionKeyProvider>(factory);
        return builder;
    }

    /// <summary>
    /// Makes a chain of sources the host's master key source: the current source's current key wraps new data keys and
    /// makes new MACs, and every key of every source opens what it wrapped. For a rotation across sources ("read with the
    /// environment key or Vault, write with Azure Key Vault"); see docs/key-sources.md for the runbook.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Replaces any master key source registered before. Each source keeps its own refresh, health check and metrics;
    /// the chain picks up a source's new keys at the next operation. The first operation loads every source, and a source
    /// that cannot give its keys fails it (KI2005, naming the source); two sources with different keys under one id fail
    /// it with KI2002.
    /// </para>
    /// <para>A source of one kind can be in a chain once: its options are the host's, not the chain's.</para>
    /// </remarks>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <param name="configure">Sets the current source and the previous ones.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">No current source was set, or an action registered no source.</exception>
    public static IKeyInfrastructureBuilder UseMasterKeyChain(this IKeyInfrastructureBuilder builder, Action<MasterKeyChainBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var chain = new MasterKeyChainBuilder(builder);
        configure(chain);
        var current = chain.CurrentSource
            ?? throw new InvalidOperationException("The master key chain has no current source: call Current(source => source.Use…MasterKey(...)) in UseMasterKeyChain.");
        ServiceDescriptor[] sources = [current, .. chain.PreviousSources];
        builder.Services.RemoveAll<IEncryptionKeyProvider>();
        builder.Services.AddSingleton<IEncryptionKeyProvider>(provider =>
        {
            var links = new List<MasterKeyChain.ChainLink>();
            try
            {
                for (var i = 0; i < sources.Length; i++)
                {
                    var (source, owned) = Resolve(provider, sources[i]);
                    links.Add(new MasterKeyChain.ChainLink(i == 0 ? $"current ({source.GetType().Name})" : $"previous {i} ({source.GetType().Name})", source, owned));
                }

                return new MasterKeyChain(links);
            }
            catch
            {
                foreach (var link in links.Where(l => l.Owned))
                {
                    (link.Source as IDisposable)?.Dispose();
                }

                throw;
            }
        });
        return builder;
    }

    // A source as its Use…MasterKey method registered it; the chain disposes what it made (not an instance it was given).
    private static (IEncryptionKeyProvider Source, bool Owned) Resolve(IServiceProvider provider, ServiceDescriptor descriptor)
    {
        if (descriptor.ImplementationInstance is IEncryptionKeyProvider instance)
        {
            return (instance, false);
        }

        if (descriptor.ImplementationFactory is { } factory)
        {
            return ((IEncryptionKeyProvider)factory(provider), true);
        }

        var type = descriptor.ImplementationType ?? throw new InvalidOperationException("A master key source registration has no implementation.");
        return ((IEncryptionKeyProvider)ActivatorUtilities.CreateInstance(provider, type), true);
    }
}
