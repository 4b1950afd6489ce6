using KeyInfra;

// Registration types live where hosts look for them, as Microsoft.Extensions.* do.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures KeyInfra after <see cref="KeyInfraServiceCollectionExtensions.AddKeyInfrastructure(IServiceCollection, Action{KeyInfraOptions}?)"/>.
/// Storage providers and key sources add <c>Use…</c> and <c>Add…</c> extension methods to it.
/// </summary>
public interface IKeyInfrastructureBuilder
{
    /// <summary>The service collection KeyInfra registers into.</summary>
    IServiceCollection Services { get; }
}
