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
            // Parsed into a ring that is never published and zeroed at once: the provider parses its own on first use.
            EnvironmentMasterKeyProvider.Load(options, out _).Dispose();
            return ValidateOptionsResult.Success;
        }
        catch (MasterKeyException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
