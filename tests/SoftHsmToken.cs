using System.Diagnostics;
using System.Security.Cryptography;

namespace KeyInfra.Tests;

/// <summary>
/// A SoftHSM2 token of one test's own, in the token folder ./test.sh provisions (tests/provision-softhsm.sh):
/// initialised with a unique label and a PIN made for it, deleted on dispose. Test processes run at the same time, and
/// SoftHSM2's file store does not take two processes creating objects in one token at once (CKR_GENERAL_ERROR), so a
/// test process other than KeyInfra.Pkcs11.Tests never uses the shared tokens; and a wrong PIN tried here touches no
/// one else's.
/// </summary>
/// <remarks>
/// SoftHSM2 reads <c>SOFTHSM2_CONF</c> with getenv when the library is loaded, so it must be in the environment before the
/// test process starts; in CI a missing module fails the test, elsewhere it is inconclusive, saying why.
/// </remarks>
internal sealed class SoftHsmToken : IDisposable
{
    private SoftHsmToken(string modulePath, string label, string pin)
    {
        ModulePath = modulePath;
        Label = label;
        Pin = pin;
    }

    /// <summary>The absolute path of libsofthsm2.so (<c>KEYINFRA_PKCS11_MODULE</c>, which also turns the sample's HSM commands on).</summary>
    public string ModulePath { get; }

    /// <summary>The token's label: unique, and no prefix of another token's (pkcs11-tool matches label prefixes).</summary>
    public string Label { get; }

    /// <summary>The token's user PIN (made for this run).</summary>
    public string Pin { get; }

    /// <summary>Initialises a new token; fails (CI) or is inconclusive (elsewhere) when SoftHSM2 is not provisioned.</summary>
    public static SoftHsmToken Create()
    {
        var module = Require("KEYINFRA_PKCS11_MODULE");
        Require("SOFTHSM2_CONF");
        var util = Require("KEYINFRA_SOFTHSM2_UTIL");
        var label = "ki-sample-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var pin = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var soPin = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Run(util, "--init-token", "--free", "--label", label, "--so-pin", soPin, "--pin", pin);
        return new SoftHsmToken(module, label, pin);
    }

    /// <summary>Generates a key pair in the token with pkcs11-tool (another tool than KeyInfra), as an operator would.</summary>
    /// <param name="keyType">pkcs11-tool's key type, such as <c>EC:prime256v1</c> or <c>EC:edwards25519</c>.</param>
    /// <param name="idHex">The CKA_ID, in hex.</param>
    /// <param name="label">The CKA_LABEL.</param>
    public void GenerateWithPkcs11Tool(string keyType, string idHex, string label)
        => Run(Require("KEYINFRA_PKCS11_TOOL"), "--module", ModulePath, "--token-label", Label, "--login", "--pin", Pin,
            "--keypairgen", "--key-type", keyType, "--id", idHex, "--label", label);

    /// <summary>Deletes every object with this label from the token (a key removed behind KeyInfra's back).</summary>
    public void DeleteObjectsWithPkcs11Tool(string idHex, string objectType)
        => Run(Require("KEYINFRA_PKCS11_TOOL"), "--module", ModulePath, "--token-label", Label, "--login", "--pin", Pin,
            "--delete-object", "--type", objectType, "--id", idHex);

    public void Dispose()
    {
        try
        {
            Run(Require("KEYINFRA_SOFTHSM2_UTIL"), "--delete-token", "--token", Label);
        }
        catch (InvalidOperationException)
        {
            // A token left behind is removed with the run's token folder (keyinfra_hsm_stop).
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new InvalidOperationException($"{Path.GetFileName(file)} did not finish within a minute.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {arguments[0]} failed ({process.ExitCode}): {output.Result} {error.Result}");
        }
    }

    private static string Require(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        var message = $"{variable} is not set: SoftHSM2 is not provisioned for this test process. Run ./test.sh (or source tests/provision-softhsm.sh and call keyinfra_hsm_start before dotnet test).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Inconclusive(message);
        return string.Empty;
    }
}
