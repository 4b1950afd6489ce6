using KeyInfra.Errors;
using Microsoft.Extensions.Options;

namespace KeyInfra.Encryption;

/// <summary>
/// Checks the environment master key settings when the host starts (<c>ValidateOnStart</c>), so a missing or
/// malformed key stops the host before any request, with the same KI200x message the key source would give.
/// </summary>
internal sealed class EnvironmentMasterKeyOptionsValidator : IValidateOptions<EnvironmentMasterKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, EnvironmentMasterKeyOptions options)
    {
        try
        {
            // Everything is parsed and zeroed at once; a secret is checked, not derived (its salt is in the database,
            // which may not be migrated yet). The provider parses its own on first use.
            EnvironmentMasterKeyProvider.Validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (MasterKeyException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
