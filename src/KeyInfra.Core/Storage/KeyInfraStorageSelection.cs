namespace KeyInfra.Storage;

/// <summary>
/// Names the storage provider the host selected. Each <c>Use…</c> storage method registers one, replacing the one
/// before it, so the last call wins; a provider's hosted services (listeners, maintenance) run only while their
/// provider is the selected one, whatever decorates <see cref="IKeyRepository"/>.
/// </summary>
/// <param name="ProviderName">The provider's name, such as <c>Sqlite</c> or <c>PostgreSql</c>; compared ordinally.</param>
/// <remarks>Immutable; registered as a singleton. A storage provider package replaces it with <c>RemoveAll</c> and <c>AddSingleton</c>.</remarks>
public sealed record KeyInfraStorageSelection(string ProviderName)
{
    /// <summary>Whether <paramref name="providerName"/> is the selected provider.</summary>
    /// <param name="providerName">A provider name.</param>
    public bool Is(string providerName) => string.Equals(ProviderName, providerName, StringComparison.Ordinal);
}
