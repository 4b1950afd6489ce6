using Microsoft.Extensions.Options;

namespace KeyInfra.Encryption;

/// <summary>
/// Fills <see cref="EnvironmentMasterKeyOptions"/> from the environment. Registered before the user's delegate,
/// so the delegate can override any value. An empty variable counts as unset (as compose files often leave them).
/// </summary>
internal sealed class EnvironmentMasterKeyOptionsSetup : IConfigureOptions<EnvironmentMasterKeyOptions>
{
    public void Configure(EnvironmentMasterKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MasterKey = Read(EnvironmentMasterKeyOptions.MasterKeyVariable);
        options.MasterSecret = Read(EnvironmentMasterKeyOptions.MasterSecretVariable);
        options.PreviousMasterKeys = Read(EnvironmentMasterKeyOptions.PreviousMasterKeysVariable);
        options.MasterKeyId = Read(EnvironmentMasterKeyOptions.MasterKeyIdVariable);
        options.MasterSecretDerivation = Read(EnvironmentMasterKeyOptions.MasterSecretDerivationVariable) switch
        {
            null or "argon2id" => MasterSecretDerivation.Argon2id,
            "hkdf-sha256-development-only" => MasterSecretDerivation.HkdfSha256DevelopmentOnly,

            // Not a value: the options validator names the variable when the host starts.
            _ => (MasterSecretDerivation)(-1),
        };
    }

    private static string? Read(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
