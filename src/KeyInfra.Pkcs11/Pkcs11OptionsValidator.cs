using Microsoft.Extensions.Options;

namespace KeyInfra.Pkcs11;

/// <summary>Checks <see cref="Pkcs11Options"/> when the host starts.</summary>
internal sealed class Pkcs11OptionsValidator : IValidateOptions<Pkcs11Options>
{
    public ValidateOptionsResult Validate(string? name, Pkcs11Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var path in options.AllAllowedPaths())
        {
            if (!ModulePaths.IsWellFormed(path))
            {
                failures.Add($"Pkcs11: the module path '{path}' is not an absolute, normalized path to a file; give the library's full path (for example /usr/lib/softhsm/libsofthsm2.so).");
            }
        }

        if (options.MaxSessionsPerToken is < 1 or > Pkcs11Options.MaxSessionsLimit)
        {
            failures.Add($"Pkcs11: MaxSessionsPerToken is {options.MaxSessionsPerToken}; use 1 to {Pkcs11Options.MaxSessionsLimit}.");
        }

        if (options.SessionWaitTimeout <= TimeSpan.Zero || options.SessionWaitTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Pkcs11: SessionWaitTimeout is {options.SessionWaitTimeout}; use more than zero and at most 10 minutes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
