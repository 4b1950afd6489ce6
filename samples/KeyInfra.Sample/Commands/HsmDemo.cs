using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Pkcs11;
using KeyInfra.Pkcs11.Errors;
using KeyInfra.Pkcs11.Slots;
using KeyInfra.Sample.Hosting;
using KeyInfra.Sample.Output;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// The demo's HSM part: with a PKCS#11 library configured and an HSM slot in the tenant, an ECDSA P-256 and an Ed25519
/// key generated inside the slot's token, a signature made there with each, verified (and a tampered copy refused) in
/// software from the stored public key. Without them, how to set up SoftHSM2 for it.
/// </summary>
internal static class HsmDemo
{
    /// <summary>The key types the demo makes in the token.</summary>
    public static readonly KeySpec[] Specs = [KeySpec.EcdsaP256, KeySpec.Ed25519];

    public static async Task<DemoHsmResult> RunAsync(
        IServiceProvider services, IKeyStore store, ISigner signer, IVerifier verifier, byte[] document, byte[] tampered, string stamp,
        TextWriter output, List<string> surprises, CancellationToken cancellationToken)
    {
        var manager = services.GetService<IHsmManager>();
        if (manager is null)
        {
            var howTo = SetupText(moduleConfigured: false);
            output.WriteLine(howTo);
            return new DemoHsmResult(false, null, [], howTo);
        }

        var slots = await manager.ListSlotsAsync(cancellationToken);
        if (slots.Count == 0)
        {
            var howTo = SetupText(moduleConfigured: true);
            output.WriteLine(howTo);
            return new DemoHsmResult(true, null, [], howTo);
        }

        var slot = slots.OrderBy(s => s.Name, StringComparer.Ordinal).First();
        var rows = new List<DemoHsmKey>();
        foreach (var spec in Specs)
        {
            var request = new CreateKeyRequest(spec, $"demo hsm {spec.Name} {stamp}")
            {
                Owner = "demo",
                Backend = Pkcs11BackendOptionNames.BackendName,
                BackendOptions = new Dictionary<string, string> { [Pkcs11BackendOptionNames.Slot] = slot.Name },
            };
            KeyInfo key;
            try
            {
                key = await store.CreateAsync(request, cancellationToken);
            }
            catch (HsmException e) when (e.ErrorCode == Pkcs11ErrorCodes.MechanismNotSupported)
            {
                // Tokens differ: Ed25519 (PKCS#11 3.0) and secp256k1 are missing from many. Not a demo failure.
                rows.Add(new DemoHsmKey(null, spec.Name, 0, null, null, e.ErrorCode));
                continue;
            }
            catch (KeyInfraException e)
            {
                surprises.Add($"HSM slot '{slot.Name}': creating a {spec.Name} key failed: {e.Message}");
                rows.Add(new DemoHsmKey(null, spec.Name, 0, null, null, e.ErrorCode));
                continue;
            }

            try
            {
                var signature = (await signer.SignAsync(new SignRequest(key.Id, document), cancellationToken)).Signature;
                var good = await DemoCommand.VerifyAsync(verifier, key.Id, document, signature, VerificationStatus.Valid, surprises, cancellationToken);
                var bad = await DemoCommand.VerifyAsync(verifier, key.Id, tampered, signature, VerificationStatus.InvalidSignature, surprises, cancellationToken);
                rows.Add(new DemoHsmKey(key.Id, spec.Name, signature.Length, good, bad, null));
            }
            catch (KeyInfraException e)
            {
                surprises.Add($"HSM slot '{slot.Name}': signing with {key.Id} ({spec.Name}) failed: {e.Message}");
                rows.Add(new DemoHsmKey(key.Id, spec.Name, 0, null, null, e.ErrorCode));
            }
        }

        var token = slot.TokenLabel is not null ? $"label '{slot.TokenLabel}'" : $"serial {slot.TokenSerial}";
        output.WriteLine($"Keys generated inside the token of slot '{slot.Name}' ({token}, module '{slot.ModuleName}'); the private keys never leave it.");
        output.WriteLine("Each signature is made in the token; verification uses the stored public key and never touches the HSM.");
        output.WriteLine();
        var table = new TableWriter("ID", "TYPE", "SIGNATURE", "DOCUMENT", "TAMPERED");
        foreach (var row in rows)
        {
            table.AddRow(
                row.KeyId?.ToString() ?? "-",
                row.Type,
                row.SignatureBytes > 0 ? $"{row.SignatureBytes} bytes" : row.ErrorCode == Pkcs11ErrorCodes.MechanismNotSupported ? "not offered by this token" : row.ErrorCode,
                row.Document?.ToString(),
                row.Tampered?.ToString());
        }

        table.Write(output);
        return new DemoHsmResult(true, slot.Name, rows, null);
    }

    private static string SetupText(bool moduleConfigured)
    {
        var lines = new List<string>();
        if (moduleConfigured)
        {
            lines.Add("A PKCS#11 library is configured, but this tenant has no HSM slot, so no key was made in an HSM. Add one:");
        }
        else
        {
            lines.Add($"No PKCS#11 library is configured ({SampleHost.Pkcs11ModuleVariable}), so no key was made in an HSM. To see keys in a token with SoftHSM2:");
            lines.Add("  sudo apt-get install softhsm2");
            lines.Add("  mkdir -p ~/.softhsm/tokens && echo \"directories.tokendir = $HOME/.softhsm/tokens\" > ~/.softhsm/softhsm2.conf");
            lines.Add("  export SOFTHSM2_CONF=~/.softhsm/softhsm2.conf");
            lines.Add("  softhsm2-util --init-token --free --label demo          # asks for a security officer PIN and a user PIN");
            lines.Add($"  export {SampleHost.Pkcs11ModuleVariable}=/usr/lib/softhsm/libsofthsm2.so");
        }

        lines.Add($"  keyinfra-sample hsm modules add --name softhsm --library ${SampleHost.Pkcs11ModuleVariable}");
        lines.Add("  keyinfra-sample hsm slots add --name demo --module softhsm --token-label demo   # asks for the user PIN, not echoed");
        lines.Add("then run the demo again (keyinfra-sample is: dotnet run --project samples/KeyInfra.Sample --). See docs/hsm.md.");
        return string.Join(Environment.NewLine, lines);
    }
}
