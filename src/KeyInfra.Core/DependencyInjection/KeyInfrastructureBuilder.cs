namespace Microsoft.Extensions.DependencyInjection;

internal sealed class KeyInfrastructureBuilder(IServiceCollection services) : IKeyInfrastructureBuilder
{
    public IServiceCollection Services { get; } = services;
}
