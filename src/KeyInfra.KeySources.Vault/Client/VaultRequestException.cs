using System.Net;

namespace KeyInfra.KeySources.Vault.Client;

/// <summary>A request that Vault answered with an error status; <see cref="Errors"/> are Vault's own messages (<c>{"errors":[…]}</c>).</summary>
internal sealed class VaultRequestException(HttpStatusCode status, IReadOnlyList<string> errors)
    : Exception($"Vault answered {(int)status} ({status}){(errors.Count > 0 ? ": " + string.Join("; ", errors) : string.Empty)}.")
{
    public HttpStatusCode Status { get; } = status;

    public IReadOnlyList<string> Errors { get; } = errors;
}
