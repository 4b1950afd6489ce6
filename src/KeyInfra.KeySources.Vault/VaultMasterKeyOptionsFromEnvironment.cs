using Microsoft.Extensions.Options;

namespace KeyInfra.KeySources.Vault;

/// <summary>Fills what configuration left unset from Vault's own environment variables, as the Vault CLI reads them.</summary>
internal sealed class VaultMasterKeyOptionsFromEnvironment : IPostConfigureOptions<VaultMasterKeyOptions>
{
    public void PostConfigure(string? name, VaultMasterKeyOptions options)
    {
        if (options.Address is null && Environment.GetEnvironmentVariable("VAULT_ADDR") is { Length: > 0 } address && Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            options.Address = uri;
        }

        if (options.Token is null && options.AppRoleRoleId is null && options.AppRoleSecretId is null && Environment.GetEnvironmentVariable("VAULT_TOKEN") is { Length: > 0 } token)
        {
            options.Token = token;
        }

        options.Namespace ??= Environment.GetEnvironmentVariable("VAULT_NAMESPACE") is { Length: > 0 } ns ? ns : null;
        options.CaCertificatePath ??= Environment.GetEnvironmentVariable("VAULT_CACERT") is { Length: > 0 } ca ? ca : null;
    }
}
