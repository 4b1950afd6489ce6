using System.Diagnostics;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>
/// The SoftHSM2 tokens tests/provision-softhsm.sh makes for the run, described by its variables. Without them a test
/// fails in CI (CI=true) and is inconclusive elsewhere, saying how to get tokens. Tokens are found by label, never by slot number.
/// </summary>
internal static class SoftHsm
{
    /// <summary>libsofthsm2.so's absolute path.</summary>
    public static string ModulePath => Require("KEYINFRA_PKCS11_MODULE");

    /// <summary>The main token: generation, signing, adoption, concurrency.</summary>
    public static string Token => Require("KEYINFRA_TEST_HSM_TOKEN");

    public static string Pin => Require("KEYINFRA_TEST_HSM_PIN");

    /// <summary>A second token, which only the wrong-PIN tests log in to (login state is per token and process).</summary>
    public static string Token2 => Require("KEYINFRA_TEST_HSM_TOKEN2");

    public static string Pin2 => Require("KEYINFRA_TEST_HSM_PIN2");

    /// <summary>
    /// The certificate authorities' token: SoftHSM2 2.6.1's file object store can fail with <c>CKR_GENERAL_ERROR</c> when
    /// two threads create objects in one token at once, so the CA tests, which generate RSA keys, keep out of the main token.
    /// </summary>
    public static string CaToken => Require("KEYINFRA_TEST_HSM_CA_TOKEN");

    public static string CaPin => Require("KEYINFRA_TEST_HSM_CA_PIN");

    /// <summary>A token the removal test deletes while a pool is open on it.</summary>
    public static string RemovableToken => Require("KEYINFRA_TEST_HSM_REMOVABLE_TOKEN");

    /// <summary>A token initialised without a user PIN: every <c>C_Login</c> as the user answers <c>CKR_USER_PIN_NOT_INITIALIZED</c>.</summary>
    public static string NoUserPinToken => Require("KEYINFRA_TEST_HSM_NO_USER_PIN_TOKEN");

    public static string RemovablePin => Require("KEYINFRA_TEST_HSM_REMOVABLE_PIN");

    public static string SoPin => Require("KEYINFRA_TEST_HSM_SO_PIN");

    public static string Folder => Require("KEYINFRA_TEST_HSM_DIR");

    public static string SoftHsmUtil => Require("KEYINFRA_SOFTHSM2_UTIL");

    public static string Pkcs11Tool => Require("KEYINFRA_PKCS11_TOOL");

    /// <summary>Runs a tool of the run (softhsm2-util, pkcs11-tool) and returns its output; fails the test if it fails.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            Assert.Fail($"{Path.GetFileName(tool)} did not finish in 2 minutes.");
        }

        Assert.AreEqual(0, process.ExitCode, $"{Path.GetFileName(tool)} failed: {error.Result}{output.Result}");
        return output.Result + error.Result;
    }

    public static string Require(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        var message = $"{variable} is not set, so there is no SoftHSM2 token to test against. Run ./test.sh, which provisions them, "
            + "or in bash: source tests/provision-softhsm.sh && keyinfra_hsm_start, then dotnet test --project tests/KeyInfra.Pkcs11.Tests.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Inconclusive(message);
        return string.Empty;
    }
}
