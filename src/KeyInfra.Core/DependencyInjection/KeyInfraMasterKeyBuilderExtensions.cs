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
}
