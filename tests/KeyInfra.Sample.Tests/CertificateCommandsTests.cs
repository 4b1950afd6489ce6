using System.Text;
using KeyInfra.Tests;

namespace KeyInfra.Sample.Tests;

/// <summary><c>ca</c>, <c>certs</c> and <c>crl</c>, as an operator runs a device CA: every artefact checked with openssl.</summary>
[TestClass]
public sealed class CertificateCommandsTests
{
    [TestMethod]
    public async Task AnOperator_RunsADeviceCa_FromCreationToRevocation()
    {
        using var workspace = new SampleWorkspace();
        (await workspace.RunAsync("ca", "create", "--name", "root", "--subject", "CN=Sample Root CA, O=Example", "--type", "ecdsa-p384")).AssertExitCode(0);
        (await workspace.RunAsync("ca", "create", "--name", "devices", "--subject", "CN=Sample Devices CA", "--parent", "root", "--days", "1825", "--crl-url", "http://crl.example.net/devices.crl")).AssertExitCode(0);
        OpenSsl.Succeed("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", workspace.PathOf("device.key"), "-out", workspace.PathOf("device.csr"),
            "-subj", "/CN=switch-01.example.net", "-addext", "subjectAltName=DNS:switch-01.example.net,IP:192.0.2.1");

        var issued = await workspace.RunAsync("certs", "issue", "--ca", "devices", "--csr", "device.csr", "--days", "5", "--out", "device.pem", "--json");
        issued.AssertExitCode(0);
        var id = issued.Json().RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;
        var chain = await workspace.RunAsync("ca", "show", "devices", "--pem");
        chain.AssertExitCode(0);
        workspace.WriteFile("chain.pem", chain.Output);
        StringAssert.Contains(OpenSsl.Succeed("verify", "-partial_chain", "-CAfile", workspace.PathOf("chain.pem"), workspace.PathOf("device.pem")), "OK");

        var list = await workspace.RunAsync("ca", "list");
        StringAssert.Contains(list.Output, "intermediate-ca");
        var expiring = await workspace.RunAsync("certs", "expiring", "--days", "7", "--json");
        Assert.AreEqual(id, expiring.Json().RootElement.GetProperty("items")[0].GetProperty("id").GetString());

        var renewed = await workspace.RunAsync("certs", "renew", id, "--json");
        renewed.AssertExitCode(0);
        var renewedId = renewed.Json().RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;
        Assert.AreEqual(2, renewed.Json().RootElement.GetProperty("items")[0].GetProperty("version").GetInt32());
        var old = await workspace.RunAsync("certs", "show", id, "--json");
        Assert.AreEqual("superseded", old.Json().RootElement.GetProperty("items")[0].GetProperty("status").GetString());

        (await workspace.RunAsync("certs", "revoke", renewedId, "--reason", "key-compromise")).AssertExitCode(0);
        var crl = await workspace.RunAsync("crl", "show", "devices", "--pem");
        crl.AssertExitCode(0);
        workspace.WriteFile("devices.crl", crl.Output);
        var intermediate = await workspace.RunAsync("ca", "show", "devices", "--pem");
        workspace.WriteFile("devices.pem", intermediate.Output.Split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n");
        StringAssert.Contains(OpenSsl.Succeed("crl", "-in", workspace.PathOf("devices.crl"), "-CAfile", workspace.PathOf("devices.pem"), "-noout", "-verify"), "verify OK");
        var renewedSerial = (await workspace.RunAsync("certs", "show", renewedId, "--json")).Json().RootElement.GetProperty("items")[0].GetProperty("serialNumber").GetString()!;
        StringAssert.Contains(OpenSsl.Succeed("crl", "-in", workspace.PathOf("devices.crl"), "-noout", "-text"), renewedSerial.ToUpperInvariant());
        (await workspace.RunAsync("crl", "publish", "devices")).AssertExitCode(0);

        var twice = await workspace.RunAsync("certs", "revoke", renewedId);
        Assert.AreEqual(2, twice.ExitCode);
        StringAssert.Contains(twice.Error, "KI8014");
    }

    [TestMethod]
    public async Task CertsExport_WithTheKey_WritesAPkcs12FileOpensslOpensWithThePin_AndAShortPinIsRefused()
    {
        using var workspace = new SampleWorkspace();
        (await workspace.RunAsync("ca", "create", "--name", "root", "--subject", "CN=Export Root")).AssertExitCode(0);
        var keyId = await workspace.CreateKeyAsync("ecdsa-p256", "router key");
        var issued = await workspace.RunAsync("certs", "issue", "--ca", "root", "--key", keyId, "--subject", "CN=router.example.net", "--dns", "router.example.net", "--json");
        issued.AssertExitCode(0);
        var id = issued.Json().RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;
        const string pin = "a long enough pin";

        var exported = await workspace.RunWithInputAsync(Encoding.UTF8.GetBytes(pin + "\n"), "certs", "export", id, "--out", "router.p12", "--with-key", "--pin-stdin");
        var shortPin = await workspace.RunWithInputAsync("short\n"u8.ToArray(), "certs", "export", id, "--out", "short.p12", "--pin-stdin");

        exported.AssertExitCode(0);
        var info = OpenSsl.Succeed("pkcs12", "-info", "-in", workspace.PathOf("router.p12"), "-passin", "pass:" + pin, "-nodes");
        StringAssert.Contains(info, "BEGIN PRIVATE KEY");
        Assert.AreEqual(2, shortPin.ExitCode);
        Assert.IsFalse(File.Exists(workspace.PathOf("short.p12")));
        Assert.IsFalse(shortPin.Error.Contains("short\n", StringComparison.Ordinal));
        Assert.IsFalse(exported.Output.Contains(pin, StringComparison.Ordinal) || exported.Error.Contains(pin, StringComparison.Ordinal), "the PIN is never printed");
    }
}
