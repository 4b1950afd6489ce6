using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Certificates;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using static KeyInfra.Tests.Conformance.AccessControlHosts;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// Certificate authorities on every provider: what KeyInfra issues is checked by openssl (a second implementation) and
/// by .NET's <see cref="X509Chain"/>; revocation reaches the CRL and is never undone by the database; renewal, access
/// control and audit hold; a row changed outside KeyInfra is refused, not obeyed.
/// </summary>
/// <remarks>Tests of a class share one database; each creates authorities of its own (unique names).</remarks>
public abstract class CertificateConformanceTests
{
    private static readonly string s_masterKey = TestHost.NewMasterKey();

    /// <summary>The provider's database, shared by the tests of the class.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task RootIntermediateAndLeafFromARequest_VerifyWithOpenSslAndX509Chain()
    {
        await using var host = await StartAsync();
        var admin = await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin);
        using var scope = Callers(host).Use(admin);
        var (root, intermediate) = await HierarchyAsync(host);
        using var work = new WorkFolder();
        var csr = work.Request("switch-01.example.net", "DNS:switch-01.example.net,IP:192.0.2.10");

        var issued = await host.Get<ICertificateStore>().IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = csr, Validity = TimeSpan.FromDays(90) });

        Assert.AreEqual(CertificateStatus.Active, issued.Status);
        Assert.AreEqual(1, issued.Version);
        CollectionAssert.AreEqual(new[] { "switch-01.example.net" }, issued.DnsNames.ToArray());
        CollectionAssert.AreEqual(new[] { "192.0.2.10" }, issued.IpAddresses.ToArray());
        Assert.IsNull(issued.KeyId);
        Assert.IsTrue(issued.SerialNumber.Length >= 16, "at least 64 bits of serial");
        var leaf = work.Write("leaf.pem", CertificatePem.Certificate(issued.Der.Span));
        var rootPem = work.Write("root.pem", CertificatePem.Certificate(root.CertificateDer.Span));
        var intermediatePem = work.Write("intermediate.pem", CertificatePem.Certificate(intermediate.CertificateDer.Span));
        StringAssert.Contains(OpenSsl.Succeed("verify", "-CAfile", rootPem, "-untrusted", intermediatePem, "-purpose", "sslserver", leaf), "OK");
        StringAssert.Contains(OpenSsl.Succeed("verify", "-CAfile", rootPem, "-untrusted", intermediatePem, "-purpose", "sslclient", leaf), "OK");
        var text = OpenSsl.Succeed("x509", "-in", leaf, "-noout", "-text");
        StringAssert.Contains(text, "CA:FALSE");
        StringAssert.Contains(text, "http://crl.example.net/intermediate.crl");

        using var certificate = X509CertificateLoader.LoadCertificate(issued.Der.Span);
        using var chain = CustomChain(root, intermediate, X509RevocationMode.NoCheck);
        Assert.IsTrue(chain.Build(certificate), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));

        // The chain KeyInfra hands out is the same one, nearest first.
        var stored = await host.Get<ICertificateAuthorities>().GetChainAsync(intermediate.Id);
        Assert.AreEqual(2, stored.Count);
        CollectionAssert.AreEqual(intermediate.CertificateDer.ToArray(), stored[0].ToArray());
        CollectionAssert.AreEqual(root.CertificateDer.ToArray(), stored[1].ToArray());
    }

    [TestMethod]
    public async Task X509Chain_WithOnlineRevocation_FetchesTheCrlsFromTheirDistributionPoints_AndRefusesTheRevokedLeaf()
    {
        await using var host = await StartAsync();
        using var scope = Callers(host).Use(await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin));
        using var work = new WorkFolder();
        var authorities = host.Get<ICertificateAuthorities>();
        var crls = new Dictionary<string, Guid>();
        using var server = new CrlServer(async path => crls.TryGetValue(path, out var id) ? (await authorities.GetCrlAsync(id))!.Der.ToArray() : null);

        // Subjects of their own: .NET caches fetched CRLs by issuer name, and other tests' authorities share theirs.
        var tag = Guid.NewGuid().ToString("N")[..12];
        var root = await authorities.CreateRootAsync(new CreateCertificateAuthorityRequest(Unique("root"), $"CN=Revocation Root {tag}") { CrlDistributionPoint = server.UrlOf("root.crl") });
        var intermediate = await authorities.CreateIntermediateAsync(root.Id, new CreateCertificateAuthorityRequest(Unique("intermediate"), $"CN=Revocation Devices {tag}") { CrlDistributionPoint = server.UrlOf("devices.crl") });
        crls["/root.crl"] = root.Id;
        crls["/devices.crl"] = intermediate.Id;
        var store = host.Get<ICertificateStore>();
        var good = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("good.example.net", "DNS:good.example.net") });
        var bad = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("bad.example.net", "DNS:bad.example.net") });
        await store.RevokeAsync(bad.Id, X509RevocationReason.KeyCompromise);

        using var goodCertificate = X509CertificateLoader.LoadCertificate(good.Der.Span);
        using var badCertificate = X509CertificateLoader.LoadCertificate(bad.Der.Span);
        using var goodChain = CustomChain(root, intermediate, X509RevocationMode.Online);
        using var badChain = CustomChain(root, intermediate, X509RevocationMode.Online);
        using var unchecked_ = CustomChain(root, intermediate, X509RevocationMode.NoCheck);

        Assert.IsTrue(goodChain.Build(goodCertificate), string.Join(", ", goodChain.ChainStatus.Select(s => s.Status + " " + s.StatusInformation)));
        Assert.IsFalse(badChain.Build(badCertificate));
        Assert.IsTrue(badChain.ChainStatus.Any(s => s.Status == X509ChainStatusFlags.Revoked), string.Join(", ", badChain.ChainStatus.Select(s => s.Status)));
        Assert.IsTrue(unchecked_.Build(badCertificate), "without revocation checking the revoked leaf still chains");
        Assert.IsTrue(server.Requests > 0, "the CRLs came from their distribution points");
    }

    [TestMethod]
    public async Task Revoke_PublishesACrlThatOpenSslChecks_AndTheLeafIsReportedRevoked()
    {
        await using var host = await StartAsync();
        using var scope = Callers(host).Use(await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin));
        var (root, intermediate) = await HierarchyAsync(host);
        using var work = new WorkFolder();
        var store = host.Get<ICertificateStore>();
        var kept = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("kept.example.net", "DNS:kept.example.net") });
        var revoked = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("lost.example.net", "DNS:lost.example.net") });
        var before = (await host.Get<ICertificateAuthorities>().GetCrlAsync(intermediate.Id))!;

        var after = await store.RevokeAsync(revoked.Id, X509RevocationReason.KeyCompromise);

        Assert.AreEqual(CertificateStatus.Revoked, after.Status);
        var crl = (await host.Get<ICertificateAuthorities>().GetCrlAsync(intermediate.Id))!;
        Assert.AreEqual(before.Number + 1, crl.Number);
        Assert.IsTrue(crl.NextUpdate > crl.ThisUpdate);
        var crlPem = work.Write("intermediate.crl", CertificatePem.Crl(crl.Der.Span));
        var rootCrl = work.Write("root.crl", CertificatePem.Crl((await host.Get<ICertificateAuthorities>().GetCrlAsync(root.Id))!.Der.Span));
        var intermediatePem = work.Write("intermediate.pem", CertificatePem.Certificate(intermediate.CertificateDer.Span));
        var rootPem = work.Write("root.pem", CertificatePem.Certificate(root.CertificateDer.Span));
        StringAssert.Contains(OpenSsl.Succeed("crl", "-in", crlPem, "-CAfile", intermediatePem, "-noout", "-verify"), "verify OK");
        var listed = OpenSsl.Succeed("crl", "-in", crlPem, "-noout", "-text");
        StringAssert.Contains(listed, revoked.SerialNumber.ToUpperInvariant());
        StringAssert.Contains(listed, "Key Compromise");
        Assert.IsFalse(listed.Contains(kept.SerialNumber.ToUpperInvariant(), StringComparison.Ordinal));

        var chainFile = work.Write("chain.pem", File.ReadAllText(rootPem) + File.ReadAllText(intermediatePem) + File.ReadAllText(crlPem) + File.ReadAllText(rootCrl));
        var (exitCode, output) = OpenSsl.Run("verify", "-crl_check_all", "-CAfile", chainFile, work.Write("revoked.pem", CertificatePem.Certificate(revoked.Der.Span)));
        Assert.AreNotEqual(0, exitCode);
        StringAssert.Contains(output, "certificate revoked");
        StringAssert.Contains(OpenSsl.Succeed("verify", "-crl_check_all", "-CAfile", chainFile, work.Write("kept.pem", CertificatePem.Certificate(kept.Der.Span))), "OK");

        var again = await Assert.ThrowsAsync<CertificateException>(() => store.RevokeAsync(revoked.Id, X509RevocationReason.Superseded));
        Assert.AreEqual(ErrorCodes.CertificateStateConflict, again.ErrorCode);
    }

    [TestMethod]
    public async Task Renew_IssuesANewSerialForTheSameSubjectAndKey_AndSupersedesTheOld()
    {
        await using var host = await StartAsync();
        var admin = await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin);
        using var scope = Callers(host).Use(admin);
        var (_, intermediate) = await HierarchyAsync(host);
        using var work = new WorkFolder();
        var store = host.Get<ICertificateStore>();
        var first = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("ap-7.example.net", "DNS:ap-7.example.net"), Validity = TimeSpan.FromDays(30) });

        var renewed = await store.RenewAsync(first.Id);

        Assert.AreEqual(2, renewed.Version);
        Assert.AreEqual(first.Id, renewed.PreviousId);
        Assert.AreNotEqual(first.SerialNumber, renewed.SerialNumber);
        Assert.AreEqual(first.Subject, renewed.Subject);
        Assert.AreEqual(TimeSpan.FromDays(30), renewed.NotAfter - renewed.NotBefore);
        using (var a = X509CertificateLoader.LoadCertificate(first.Der.Span))
        using (var b = X509CertificateLoader.LoadCertificate(renewed.Der.Span))
        {
            CollectionAssert.AreEqual(a.PublicKey.ExportSubjectPublicKeyInfo(), b.PublicKey.ExportSubjectPublicKeyInfo());
        }

        var old = (await store.GetAsync(first.Id))!;
        Assert.AreEqual(CertificateStatus.Superseded, old.Status);
        Assert.AreEqual(renewed.Id, old.RenewedById);
        Assert.AreEqual(admin.StableId, old.RenewedBy);
        Assert.IsNotNull(old.RenewedAt);
        var twice = await Assert.ThrowsAsync<CertificateException>(() => store.RenewAsync(first.Id));
        Assert.AreEqual(ErrorCodes.CertificateStateConflict, twice.ErrorCode);
        Assert.AreEqual(3, (await store.RenewAsync(renewed.Id)).Version);
    }

    [TestMethod]
    public async Task Pkcs12Export_OfASoftwareKey_OpensWithThePinOnly_AndAnHsmOrRequestKeyIsRefused()
    {
        await using var host = await StartAsync();
        using var scope = Callers(host).Use(await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin));
        var (root, intermediate) = await HierarchyAsync(host);
        using var work = new WorkFolder();
        var deviceKey = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, Unique("device")));
        var store = host.Get<ICertificateStore>();
        var issued = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id)
        {
            Key = deviceKey.Id,
            Subject = "CN=router-3.example.net, O=Example",
            DnsNames = ["router-3.example.net"],
            IpAddresses = [IPAddress.Parse("2001:db8::3")],
        });
        Assert.AreEqual(deviceKey.Id, issued.KeyId);
        const string pin = "correct horse battery";

        var pfx = await store.ExportPkcs12Async(issued.Id, pin, includePrivateKey: true);

        var file = work.WriteBytes("device.p12", pfx);
        var info = OpenSsl.Succeed("pkcs12", "-info", "-in", file, "-passin", "pass:" + pin, "-nodes");
        StringAssert.Contains(info, "AES-256-CBC");
        StringAssert.Contains(info, "BEGIN PRIVATE KEY");
        Assert.AreEqual(3, System.Text.RegularExpressions.Regex.Count(info, "BEGIN CERTIFICATE"), "the leaf and both authorities");
        Assert.AreNotEqual(0, OpenSsl.Run("pkcs12", "-info", "-in", file, "-passin", "pass:wrong pin value", "-nodes").ExitCode);
        using (var loaded = X509CertificateLoader.LoadPkcs12(pfx, pin))
        {
            Assert.IsTrue(loaded.HasPrivateKey);
            using var ecdsa = loaded.GetECDsaPrivateKey()!;
            var signature = ecdsa.SignData("proof"u8, HashAlgorithmName.SHA256);
            Assert.IsTrue((await host.Get<KeyInfra.Verification.IVerifier>().VerifyAsync(
                new KeyInfra.Verification.VerificationRequest(deviceKey.Id, "proof"u8.ToArray(), signature))).IsValid);
        }

        var shortPin = await Assert.ThrowsAsync<ArgumentException>(() => store.ExportPkcs12Async(issued.Id, "short", includePrivateKey: true));
        Assert.AreEqual("pin", shortPin.ParamName);
        Assert.IsFalse(shortPin.Message.Contains("short", StringComparison.Ordinal), "the PIN is never repeated");

        var fromRequest = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("cam.example.net", "DNS:cam.example.net") });
        var refused = await Assert.ThrowsAsync<CertificateException>(() => store.ExportPkcs12Async(fromRequest.Id, pin, includePrivateKey: true));
        Assert.AreEqual(ErrorCodes.PrivateKeyNotExportable, refused.ErrorCode);
        using var withoutKey = X509CertificateLoader.LoadPkcs12(await store.ExportPkcs12Async(fromRequest.Id, pin, includePrivateKey: false), pin);
        Assert.IsFalse(withoutKey.HasPrivateKey);
        _ = root;
    }

    [TestMethod]
    public async Task AnAuthoritysKey_SignsNothingThroughTheSigner_AndAnUnmarkedKeyServesNoAuthority()
    {
        await using var host = await StartAsync();
        using var scope = Callers(host).Use(await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin));
        var (root, _) = await HierarchyAsync(host);

        var reserved = await Assert.ThrowsAsync<KeyInfraException>(() => host.Get<ISigner>().SignAsync(new SignRequest(root.KeyId, "a TBSCertificate of my own"u8.ToArray())));
        Assert.AreEqual(ErrorCodes.KeyReservedForCertificateAuthority, reserved.ErrorCode);

        var ordinary = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, Unique("ordinary")));
        var unmarked = await Assert.ThrowsAsync<CertificateException>(() => host.Get<ICertificateAuthorities>().CreateRootAsync(
            new CreateCertificateAuthorityRequest(Unique("from-ordinary"), "CN=Ordinary") { ExistingKey = ordinary.Id }));
        Assert.AreEqual(ErrorCodes.CertificateAuthorityKeyInvalid, unmarked.ErrorCode);

        var reused = await Assert.ThrowsAsync<CertificateException>(() => host.Get<ICertificateAuthorities>().CreateRootAsync(
            new CreateCertificateAuthorityRequest(Unique("same-key"), "CN=Same key") { ExistingKey = root.KeyId }));
        Assert.AreEqual(ErrorCodes.CertificateAuthorityNameTaken, reused.ErrorCode);

        var leafWithAuthorityKey = await Assert.ThrowsAsync<CertificateException>(() => host.Get<ICertificateStore>().IssueAsync(
            new IssueCertificateRequest(root.Id) { Key = root.KeyId, Subject = "CN=x.example.net", DnsNames = ["x.example.net"] }));
        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, leafWithAuthorityKey.ErrorCode);
    }

    [TestMethod]
    public async Task Users_SeeRenewAndRevokeOnlyTheirOwn_AndOnlyAnAdminRunsAuthorities()
    {
        await using var host = await StartAsync();
        var admin = await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin);
        var alice = await NewUserAsync(host, "alice");
        var bob = await NewUserAsync(host, "bob");
        CertificateAuthorityInfo intermediate;
        using (Callers(host).Use(admin))
        {
            (_, intermediate) = await HierarchyAsync(host);
        }

        using var work = new WorkFolder();
        var store = host.Get<ICertificateStore>();
        CertificateInfo alices;
        using (Callers(host).Use(alice))
        {
            alices = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("alice.example.net", "DNS:alice.example.net") });
            Assert.AreEqual(alice.StableId, alices.Owner);
            Assert.AreEqual(1, (await store.ListAsync(new CertificateQuery { Owner = alice.StableId })).Items.Count);
            var unfiltered = await Assert.ThrowsAsync<KeyInfraException>(() => store.ListAsync(new CertificateQuery()));
            Assert.AreEqual(ErrorCodes.AccessDenied, unfiltered.ErrorCode);
            var forBob = await Assert.ThrowsAsync<KeyInfraException>(() => store.IssueAsync(new IssueCertificateRequest(intermediate.Id)
            {
                SigningRequest = work.Request("bob.example.net", "DNS:bob.example.net"),
                Owner = bob.StableId,
            }));
            Assert.AreEqual(ErrorCodes.AccessDenied, forBob.ErrorCode);
            var authority = await Assert.ThrowsAsync<KeyInfraException>(() => host.Get<ICertificateAuthorities>().CreateRootAsync(new CreateCertificateAuthorityRequest(Unique("alices-root"), "CN=Alice")));
            Assert.AreEqual(ErrorCodes.AccessDenied, authority.ErrorCode);
            var crl = await Assert.ThrowsAsync<KeyInfraException>(() => host.Get<ICertificateAuthorities>().PublishCrlAsync(intermediate.Id));
            Assert.AreEqual(ErrorCodes.AccessDenied, crl.ErrorCode);
            Assert.IsNotNull(await host.Get<ICertificateAuthorities>().GetCrlAsync(intermediate.Id), "CRLs are public");
        }

        using (Callers(host).Use(bob))
        {
            Assert.IsNull(await store.GetAsync(alices.Id), "another user's certificate is not found");
            Assert.AreEqual(0, (await store.ListAsync(new CertificateQuery { Owner = bob.StableId })).Items.Count);
            Assert.AreEqual(ErrorCodes.AccessDenied, (await Assert.ThrowsAsync<KeyInfraException>(() => store.RenewAsync(alices.Id))).ErrorCode);
            Assert.AreEqual(ErrorCodes.AccessDenied, (await Assert.ThrowsAsync<KeyInfraException>(() => store.RevokeAsync(alices.Id, X509RevocationReason.Unspecified))).ErrorCode);
            Assert.AreEqual(ErrorCodes.AccessDenied, (await Assert.ThrowsAsync<KeyInfraException>(() => store.ExportPkcs12Async(alices.Id, "a long enough pin", false))).ErrorCode);
        }

        CertificateInfo renewed;
        using (Callers(host).Use(alice))
        {
            renewed = await store.RenewAsync(alices.Id);
            Assert.AreEqual(2, renewed.Version);
        }

        using (Callers(host).Use(admin))
        {
            var all = await store.ListAsync(new CertificateQuery { AuthorityId = intermediate.Id });
            Assert.AreEqual(2, all.Items.Count, "an admin sees the tenant's");
            var issue = await host.Get<IAuditTrail>().QueryControlPlaneAsync(new AuditQuery { TargetType = "certificate", TargetId = alices.Id.ToString() });
            Assert.AreEqual(AuditActions.CertificateIssue, issue.Records.Single().Action);
            Assert.AreEqual(alice.StableId, issue.Records.Single().ActorId);
            var renewal = (await host.Get<IAuditTrail>().QueryControlPlaneAsync(new AuditQuery { TargetType = "certificate", TargetId = renewed.Id.ToString() })).Records.Single();
            Assert.AreEqual(AuditActions.CertificateRenew, renewal.Action);
            StringAssert.Contains(renewal.Before, alices.Id.ToString(), "the renewal's record names the certificate it renewed");
        }
    }

    [TestMethod]
    public async Task ExpiringWithin_ReturnsOnlyActiveCertificatesDueInTheWindow_SoonestFirst()
    {
        await using var host = await StartAsync();
        var admin = await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin);
        var carol = await NewUserAsync(host, "carol");
        CertificateAuthorityInfo intermediate;
        using (Callers(host).Use(admin))
        {
            (_, intermediate) = await HierarchyAsync(host);
        }

        using var work = new WorkFolder();
        var store = host.Get<ICertificateStore>();
        using var scope = Callers(host).Use(carol);
        var inThree = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("a.example.net", "DNS:a.example.net"), Validity = TimeSpan.FromDays(3) });
        var inSix = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("b.example.net", "DNS:b.example.net"), Validity = TimeSpan.FromDays(6) });
        var revoked = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("c.example.net", "DNS:c.example.net"), Validity = TimeSpan.FromDays(2) });
        await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("d.example.net", "DNS:d.example.net"), Validity = TimeSpan.FromDays(30) });
        await store.RevokeAsync(revoked.Id, X509RevocationReason.CessationOfOperation);

        var expiring = await store.ListExpiringAsync(TimeSpan.FromDays(7), carol.StableId);

        CollectionAssert.AreEqual(new[] { inThree.Id, inSix.Id }, expiring.Select(c => c.Id).ToArray());
        Assert.AreEqual(3, (await store.ListExpiringAsync(TimeSpan.FromDays(31), carol.StableId)).Count);
        Assert.AreEqual(ErrorCodes.AccessDenied, (await Assert.ThrowsAsync<KeyInfraException>(() => store.ListExpiringAsync(TimeSpan.FromDays(7)))).ErrorCode);
    }

    [TestMethod]
    public async Task ARevocationSurvivesItsRowsBeingDeletedOrReset_AndADeletedCrlStopsPublishing()
    {
        await using var host = await StartAsync();
        using var scope = Callers(host).Use(await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin));
        var (_, intermediate) = await HierarchyAsync(host);
        using var work = new WorkFolder();
        var store = host.Get<ICertificateStore>();
        var authorities = host.Get<ICertificateAuthorities>();
        var revoked = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("gone.example.net", "DNS:gone.example.net") });
        await store.RevokeAsync(revoked.Id, X509RevocationReason.KeyCompromise);

        // A writer without the master key unrevokes it in every table it can reach.
        Assert.AreEqual(1, await Storage.TamperAsync("DELETE FROM revoked_certificates WHERE certificate_id = $1", revoked.Id));
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE certificates SET status = 'active' WHERE id = $1", revoked.Id));

        var next = await authorities.PublishCrlAsync(intermediate.Id);
        StringAssert.Contains(OpenSsl.Succeed("crl", "-in", work.Write("next.crl", CertificatePem.Crl(next.Der.Span)), "-noout", "-text"), revoked.SerialNumber.ToUpperInvariant());

        // Deleting the last CRL (to publish one without the entry) is detected, not obeyed.
        Assert.AreEqual(1, await Storage.TamperAsync("DELETE FROM certificate_revocation_lists WHERE authority_id = $1 AND number = $2", intermediate.Id, next.Number));
        var refused = await Assert.ThrowsAsync<CertificateException>(() => authorities.PublishCrlAsync(intermediate.Id));
        Assert.AreEqual(ErrorCodes.StoredCertificateDataInvalid, refused.ErrorCode);

        // Rolling the authority's CRL number back fails its row's MAC.
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE certificate_authorities SET crl_number = crl_number - 1 WHERE id = $1", intermediate.Id));
        Assert.AreEqual(ErrorCodes.StoredCertificateDataInvalid, (await Assert.ThrowsAsync<CertificateException>(() => authorities.GetAsync(intermediate.Id))).ErrorCode);
    }

    [TestMethod]
    public async Task ACertificateRowChangedByHand_IsRefusedAndListedNowhere_AndOneGivenToAnotherOwnerReachesNoOne()
    {
        await using var host = await StartAsync();
        var admin = await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin);
        var alice = await NewUserAsync(host, "alice");
        var mallory = await NewUserAsync(host, "mallory");
        CertificateAuthorityInfo root, intermediate;
        using (Callers(host).Use(admin))
        {
            (root, intermediate) = await HierarchyAsync(host);
        }

        using var work = new WorkFolder();
        var store = host.Get<ICertificateStore>();
        CertificateInfo alices;
        using (Callers(host).Use(alice))
        {
            alices = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("alice.example.net", "DNS:alice.example.net") });
        }

        // A writer gives Alice's certificate to Mallory: Mallory can neither see nor renew, revoke or export it (the row's
        // owner is not believed, so to her it does not exist), and nobody's list shows it (Alice's does not either: to
        // her it is as if the row were deleted).
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE certificates SET owner = $2 WHERE id = $1", alices.Id, mallory.StableId));
        using (Callers(host).Use(mallory))
        {
            Assert.IsNull(await store.GetAsync(alices.Id));
            Assert.AreEqual(ErrorCodes.AccessDenied, (await Assert.ThrowsAsync<KeyInfraException>(() => store.RenewAsync(alices.Id))).ErrorCode);
            Assert.AreEqual(ErrorCodes.AccessDenied, (await Assert.ThrowsAsync<KeyInfraException>(() => store.RevokeAsync(alices.Id, X509RevocationReason.Unspecified))).ErrorCode);
            Assert.AreEqual(ErrorCodes.AccessDenied, (await Assert.ThrowsAsync<KeyInfraException>(() => store.ExportPkcs12Async(alices.Id, "a long enough pin", false))).ErrorCode);
            Assert.IsEmpty((await store.ListAsync(new CertificateQuery { Owner = mallory.StableId })).Items);
            Assert.IsEmpty(await store.ListExpiringAsync(TimeSpan.FromDays(3650), mallory.StableId));
        }

        using (Callers(host).Use(alice))
        {
            Assert.IsNull(await store.GetAsync(alices.Id));
            Assert.IsEmpty((await store.ListAsync(new CertificateQuery { Owner = alice.StableId })).Items);
        }

        using (Callers(host).Use(admin))
        {
            // An admin, allowed across the tenant, is told what happened.
            Assert.AreEqual(ErrorCodes.StoredCertificateDataInvalid, (await Assert.ThrowsAsync<CertificateException>(() => store.GetAsync(alices.Id))).ErrorCode);
            Assert.AreEqual(ErrorCodes.StoredCertificateDataInvalid, (await Assert.ThrowsAsync<CertificateException>(() => store.RevokeAsync(alices.Id, X509RevocationReason.Unspecified))).ErrorCode);
            Assert.IsFalse((await store.ListAsync(new CertificateQuery { AuthorityId = intermediate.Id })).Items.Any(c => c.Id == alices.Id));

            // Put back, the row is authentic again: nothing was lost but access while it was changed.
            Assert.AreEqual(1, await Storage.TamperAsync("UPDATE certificates SET owner = $2 WHERE id = $1", alices.Id, alice.StableId));
            Assert.AreEqual(alice.StableId, (await store.GetAsync(alices.Id))!.Owner);

            // Marked revoked or superseded by hand: refused, not obeyed (a revocation or renewal comes only from KeyInfra).
            var marked = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("m.example.net", "DNS:m.example.net") });
            Assert.AreEqual(1, await Storage.TamperAsync("UPDATE certificates SET status = 'superseded' WHERE id = $1", marked.Id));
            Assert.AreEqual(ErrorCodes.StoredCertificateDataInvalid, (await Assert.ThrowsAsync<CertificateException>(() => store.GetAsync(marked.Id))).ErrorCode);

            // A device certificate's row pointed at the intermediate's key: exporting "its" private key is refused.
            var deviceKey = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, Unique("device")));
            var held = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { Key = deviceKey.Id, Subject = "CN=h.example.net", DnsNames = ["h.example.net"] });
            await Storage.TamperAsync("UPDATE certificates SET key_id = $2 WHERE id = $1", held.Id, intermediate.KeyId.Value);
            Assert.AreEqual(ErrorCodes.StoredCertificateDataInvalid, (await Assert.ThrowsAsync<CertificateException>(() => store.ExportPkcs12Async(held.Id, "a long enough pin", includePrivateKey: true))).ErrorCode);

            // The intermediate's own certificate planted as a device certificate of the root: never treated as one.
            var planted = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("p.example.net", "DNS:p.example.net") });
            await Storage.TamperAsync("UPDATE certificates SET der = $2, authority_id = $3 WHERE id = $1", planted.Id, intermediate.CertificateDer.ToArray(), root.Id);
            Assert.AreEqual(ErrorCodes.StoredCertificateDataInvalid, (await Assert.ThrowsAsync<CertificateException>(() => store.ExportPkcs12Async(planted.Id, "a long enough pin", includePrivateKey: false))).ErrorCode);

            // The MAC of one row copied onto another, untouched one does not make it authentic.
            var donor = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("d.example.net", "DNS:d.example.net") });
            var recipient = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("n.example.net", "DNS:n.example.net") });
            Assert.IsNotNull(await store.GetAsync(recipient.Id));
            Assert.AreEqual(1, await Storage.TamperAsync("UPDATE certificates SET row_mac = (SELECT row_mac FROM certificates WHERE id = $2) WHERE id = $1", recipient.Id, donor.Id));
            Assert.AreEqual(ErrorCodes.StoredCertificateDataInvalid, (await Assert.ThrowsAsync<CertificateException>(() => store.GetAsync(recipient.Id))).ErrorCode);
        }
    }

    [TestMethod]
    public async Task ARowPutBackAsItWasBeforeItsRevocation_IsStillRevoked_AndARevocationRowAWriterAdds_ReachesNoCrl()
    {
        await using var host = await StartAsync();
        using var scope = Callers(host).Use(await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin));
        var (_, intermediate) = await HierarchyAsync(host);
        using var work = new WorkFolder();
        var store = host.Get<ICertificateStore>();
        var authorities = host.Get<ICertificateAuthorities>();

        // The row as it was while active (its MAC valid then), kept by a writer and written back after the revocation,
        // with the revocation row deleted: the row reads as active, but the signed CRL still carries the revocation.
        var revoked = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("r.example.net", "DNS:r.example.net") });
        var activeMac = await Storage.ScalarAsync<byte[]>("SELECT row_mac FROM certificates WHERE id = $1", revoked.Id);
        await store.RevokeAsync(revoked.Id, X509RevocationReason.KeyCompromise);
        Assert.AreEqual(1, await Storage.TamperAsync("DELETE FROM revoked_certificates WHERE certificate_id = $1", revoked.Id));
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE certificates SET status = 'active', row_mac = $2 WHERE id = $1", revoked.Id, activeMac));
        Assert.AreEqual(CertificateStatus.Active, (await store.GetAsync(revoked.Id))!.Status, "the replayed row is authentic: it is one KeyInfra wrote");
        Assert.AreEqual(ErrorCodes.CertificateStateConflict, (await Assert.ThrowsAsync<CertificateException>(() => store.RenewAsync(revoked.Id))).ErrorCode);
        var carried = await authorities.PublishCrlAsync(intermediate.Id);
        StringAssert.Contains(OpenSsl.Succeed("crl", "-in", work.Write("carried.crl", CertificatePem.Crl(carried.Der.Span)), "-noout", "-text"), revoked.SerialNumber.ToUpperInvariant());

        // A revocation a writer adds (no MAC, or another revocation's): never signed into a CRL, and it blocks no renewal.
        var other = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("o.example.net", "DNS:o.example.net") });
        var victim = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("v.example.net", "DNS:v.example.net") });
        await store.RevokeAsync(other.Id, X509RevocationReason.Superseded);
        Assert.AreEqual(1, await Storage.TamperAsync(
            "INSERT INTO revoked_certificates (certificate_id, tenant_id, authority_id, serial_number, reason, revoked_at, revoked_by, row_mac, row_mac_master_key_id) " +
            "SELECT $1, tenant_id, authority_id, $2, reason, revoked_at, revoked_by, row_mac, row_mac_master_key_id FROM revoked_certificates WHERE certificate_id = $3",
            victim.Id, victim.SerialNumber, other.Id));
        var crl = await authorities.PublishCrlAsync(intermediate.Id);
        var text = OpenSsl.Succeed("crl", "-in", work.Write("forged.crl", CertificatePem.Crl(crl.Der.Span)), "-noout", "-text");
        StringAssert.Contains(text, other.SerialNumber.ToUpperInvariant());
        Assert.DoesNotContain(victim.SerialNumber.ToUpperInvariant(), text, "a revocation KeyInfra never made is not signed");
        var renewed = await store.RenewAsync(victim.Id);
        Assert.AreEqual(2, renewed.Version);

        // A planted revocation row standing where a real revocation would go: the real one is refused with the reason
        // (not "revoked already", which would leave a live certificate off every CRL).
        var target = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("t.example.net", "DNS:t.example.net") });
        Assert.AreEqual(1, await Storage.TamperAsync(
            "INSERT INTO revoked_certificates (certificate_id, tenant_id, authority_id, serial_number, reason, revoked_at, revoked_by) " +
            "SELECT $1, tenant_id, authority_id, $2, reason, revoked_at, revoked_by FROM revoked_certificates WHERE certificate_id = $3",
            target.Id, target.SerialNumber, other.Id));
        var blocked = await Assert.ThrowsAsync<CertificateException>(() => store.RevokeAsync(target.Id, X509RevocationReason.KeyCompromise));
        Assert.AreEqual(ErrorCodes.StoredCertificateDataInvalid, blocked.ErrorCode);
        StringAssert.Contains(blocked.Message, "revoked_certificates");
        Assert.AreEqual(CertificateStatus.Active, (await store.GetAsync(target.Id))!.Status, "nothing was written");
    }

    [TestMethod]
    public async Task AChangedAuthorityOrCertificateRow_IsRefused()
    {
        await using var host = await StartAsync();
        using var scope = Callers(host).Use(await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin));
        var (root, intermediate) = await HierarchyAsync(host);
        using var work = new WorkFolder();
        var store = host.Get<ICertificateStore>();
        var victim = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("victim.example.net", "DNS:victim.example.net") });
        var other = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("other.example.net", "DNS:other.example.net") });

        // Another certificate's DER in this row: a renewal would certify the other key and names.
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE certificates SET der = $2 WHERE id = $1", victim.Id, other.Der.ToArray()));
        Assert.AreEqual(ErrorCodes.StoredCertificateDataInvalid, (await Assert.ThrowsAsync<CertificateException>(() => store.RenewAsync(victim.Id))).ErrorCode);

        // A self-made certificate in the row, under a key the writer holds: not issued by the authority.
        using var forged = SelfSigned("CN=victim.example.net");
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE certificates SET der = $2 WHERE id = $1", other.Id, forged.RawData));
        Assert.AreEqual(ErrorCodes.StoredCertificateDataInvalid, (await Assert.ThrowsAsync<CertificateException>(() => store.RenewAsync(other.Id))).ErrorCode);

        // The intermediate given the root's certificate (to issue as the root): its MAC fails, so it signs nothing.
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE certificate_authorities SET certificate_der = $2 WHERE id = $1", intermediate.Id, root.CertificateDer.ToArray()));
        var refused = await Assert.ThrowsAsync<CertificateException>(() => store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("new.example.net", "DNS:new.example.net") }));
        Assert.AreEqual(ErrorCodes.StoredCertificateDataInvalid, refused.ErrorCode);
    }

    [TestMethod]
    public async Task AProfileViolation_IsRefusedWithItsCode_AndNothingIsStored()
    {
        await using var host = await StartAsync();
        using var scope = Callers(host).Use(await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin));
        var (_, intermediate) = await HierarchyAsync(host);
        using var work = new WorkFolder();
        var store = host.Get<ICertificateStore>();

        var tooLong = await Assert.ThrowsAsync<CertificateException>(() => store.IssueAsync(new IssueCertificateRequest(intermediate.Id)
        {
            SigningRequest = work.Request("long.example.net", "DNS:long.example.net"),
            Validity = TimeSpan.FromDays(398),
        }));
        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, tooLong.ErrorCode);
        var unknown = await Assert.ThrowsAsync<CertificateException>(() => store.IssueAsync(new IssueCertificateRequest(intermediate.Id)
        {
            SigningRequest = work.Request("ca.example.net", "DNS:ca.example.net"),
            ProfileName = "intermediate-ca",
        }));
        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, unknown.ErrorCode);
        var malformed = await Assert.ThrowsAsync<CertificateException>(() => store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = "-----BEGIN CERTIFICATE REQUEST-----\nnot base64!\n-----END CERTIFICATE REQUEST-----\n"u8.ToArray() }));
        Assert.AreEqual(ErrorCodes.CertificateRequestMalformed, malformed.ErrorCode);
        var noAuthority = await Assert.ThrowsAsync<CertificateException>(() => store.IssueAsync(new IssueCertificateRequest(Guid.NewGuid()) { SigningRequest = work.Request("x.example.net", "DNS:x.example.net") }));
        Assert.AreEqual(ErrorCodes.CertificateAuthorityNotFound, noAuthority.ErrorCode);

        Assert.AreEqual(0, (await store.ListAsync(new CertificateQuery { AuthorityId = intermediate.Id })).Items.Count);
    }

    [TestMethod]
    public async Task WithoutAValidity_ARootGets10Years_AndAnIntermediateEndsBeforeItsParent_WhileAnExplicitLongerOneIsRefused()
    {
        await using var host = await StartAsync();
        using var scope = Callers(host).Use(await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin));
        var authorities = host.Get<ICertificateAuthorities>();

        var root = await authorities.CreateRootAsync(new CreateCertificateAuthorityRequest(Unique("root"), "CN=Default Validity Root"));
        var intermediate = await authorities.CreateIntermediateAsync(root.Id, new CreateCertificateAuthorityRequest(Unique("intermediate"), "CN=Default Validity Devices"));
        var shortRoot = await authorities.CreateRootAsync(new CreateCertificateAuthorityRequest(Unique("short-root"), "CN=Short Root") { Validity = TimeSpan.FromDays(30) });
        var clamped = await authorities.CreateIntermediateAsync(shortRoot.Id, new CreateCertificateAuthorityRequest(Unique("clamped"), "CN=Clamped Devices"));
        var tooLongName = Unique("too-long");
        var keysBefore = await Storage.ScalarAsync<long>("SELECT count(*) FROM public_keys");
        var tooLong = await Assert.ThrowsAsync<CertificateException>(() => authorities.CreateIntermediateAsync(shortRoot.Id,
            new CreateCertificateAuthorityRequest(tooLongName, "CN=Too Long Devices") { Validity = TimeSpan.FromDays(31) }));
        var tooLongRoot = await Assert.ThrowsAsync<CertificateException>(() => authorities.CreateRootAsync(
            new CreateCertificateAuthorityRequest(Unique("too-long-root"), "CN=Too Long Root") { Validity = TimeSpan.FromDays(20 * 365 + 1) }));
        var keysAfter = await Storage.ScalarAsync<long>("SELECT count(*) FROM public_keys");

        Assert.AreEqual(TimeSpan.FromDays(3650), root.NotAfter - root.NotBefore);
        Assert.AreEqual(TimeSpan.FromDays(1825), intermediate.NotAfter - intermediate.NotBefore);
        Assert.AreEqual(shortRoot.NotAfter, clamped.NotAfter, "a short-lived parent's remaining life bounds the default");
        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, tooLong.ErrorCode);
        Assert.IsNull(await authorities.FindAsync(tooLongName), "a refused authority is not stored");
        Assert.AreEqual(ErrorCodes.CertificateProfileViolation, tooLongRoot.ErrorCode);
        Assert.AreEqual(keysBefore, keysAfter, "nor is a key made for it");
    }

    [TestMethod]
    public async Task TheRepository_RefusesASecondSerialOfAnIssuer_WhateverItsExpiry()
    {
        await using var host = await StartAsync();
        using var scope = Callers(host).Use(await NewUserAsync(host, "ca-admin", KeyInfraRoles.Admin));
        var (_, intermediate) = await HierarchyAsync(host);
        using var work = new WorkFolder();
        var issued = await host.Get<ICertificateStore>().IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("s.example.net", "DNS:s.example.net") });
        var repository = host.Get<KeyInfra.Storage.ICertificateRepository>();
        var stored = (await repository.GetCertificateAsync(host.Get<KeyInfra.Tenancy.ITenantContext>().TenantId, issued.Id))!;

        var outcome = await repository.AddCertificateAsync(stored with { Id = Guid.CreateVersion7(), NotAfter = stored.NotAfter.AddDays(-40) });

        Assert.AreEqual(KeyInfra.Storage.CertificateWriteOutcome.SerialTaken, outcome);
        Assert.AreEqual(1, (await host.Get<ICertificateStore>().ListAsync(new CertificateQuery { AuthorityId = intermediate.Id })).Items.Count);
    }

    [TestMethod]
    public async Task AnAuthority_KeepsIssuingAfterTheMasterKeyIsRotatedAndTheOldOneRetired()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var oldKey = TestHost.NewMasterKey();
        var newKey = TestHost.NewMasterKey();
        using var work = new WorkFolder();
        CertificateAuthorityInfo intermediate;
        CertificateInfo kept, revoked;
        await using (var host = await AccessControlHosts.StartAsync(database, oldKey))
        {
            using var scope = Callers(host).Use(Caller.ForSystem("setup"));
            (_, intermediate) = await HierarchyAsync(host);
            var store = host.Get<ICertificateStore>();
            kept = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("kept.example.net", "DNS:kept.example.net") });
            revoked = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("revoked.example.net", "DNS:revoked.example.net") });
            await store.RevokeAsync(revoked.Id, X509RevocationReason.CessationOfOperation);
        }

        await using (var rotated = await AccessControlHosts.StartAsync(database, newKey, masterKeyOptions: o => o.PreviousMasterKeys = oldKey))
        {
            using var scope = Callers(rotated).Use(Caller.ForSystem("rotation"));
            var rotation = rotated.Get<KeyInfra.Encryption.Rotation.IMasterKeyRotation>();
            var status = await rotation.GetStatusAsync();
            var oldKeyId = status.Keys.Single(k => k.Id != status.CurrentKeyId).Id;
            await rotated.Get<KeyInfra.Encryption.IPrivateKeyReencryptor>().ReencryptAllAsync(new KeyInfra.Encryption.ReencryptionOptions());
            await rotated.Get<KeyInfra.RowAuthentication.IKeyRowAuthenticator>().AuthenticateAllAsync();
            var summary = await rotation.RewrapAsync();
            Assert.AreEqual(2L, summary.OtherSteps.Single(s => s.Step == KeyInfra.Encryption.Rotation.MasterKeyRewrapSteps.CertificateAuthorityRows).Changed);
            var certificateRows = summary.OtherSteps.Single(s => s.Step == KeyInfra.Encryption.Rotation.MasterKeyRewrapSteps.CertificateRows);
            Assert.AreEqual((3L, 3L, 0L), (certificateRows.Examined, certificateRows.Changed, certificateRows.Failed), "two certificates and a revocation");
            Assert.IsTrue(summary.Complete, string.Join("; ", summary.StillUsed.Select(k => $"{k.Id}: {k.DescribeUses()}")));
            await rotation.RetireAsync(oldKeyId);
        }

        await using var only = await AccessControlHosts.StartAsync(database, newKey);
        using (Callers(only).Use(Caller.ForSystem("after")))
        {
            var store = only.Get<ICertificateStore>();
            var issued = await store.IssueAsync(new IssueCertificateRequest(intermediate.Id) { SigningRequest = work.Request("after.example.net", "DNS:after.example.net") });
            Assert.AreEqual(CertificateStatus.Active, issued.Status);
            Assert.AreEqual(2, (await store.RenewAsync(kept.Id)).Version, "a certificate sealed under the retired key reads and renews");
            Assert.AreEqual(CertificateStatus.Revoked, (await store.GetAsync(revoked.Id))!.Status);
            var crl = await only.Get<ICertificateAuthorities>().PublishCrlAsync(intermediate.Id);
            Assert.IsTrue(crl.Number >= 3);
            StringAssert.Contains(OpenSsl.Succeed("crl", "-in", work.Write("after.crl", CertificatePem.Crl(crl.Der.Span)), "-noout", "-text"), revoked.SerialNumber.ToUpperInvariant());
        }
    }

    /// <summary>A host with role-based access control on this class's database.</summary>
    private protected Task<TestHost> StartAsync() => AccessControlHosts.StartAsync(Storage, s_masterKey);

    /// <summary>A root (P-384) and an intermediate (P-256) below it, each with a CRL distribution point.</summary>
    private protected static async Task<(CertificateAuthorityInfo Root, CertificateAuthorityInfo Intermediate)> HierarchyAsync(TestHost host)
    {
        var authorities = host.Get<ICertificateAuthorities>();
        var root = await authorities.CreateRootAsync(new CreateCertificateAuthorityRequest(Unique("root"), "CN=Conformance Root CA, O=KeyInfra Tests")
        {
            KeySpec = KeySpec.EcdsaP384,
            Validity = TimeSpan.FromDays(3650),
            CrlDistributionPoint = new Uri("http://crl.example.net/root.crl"),
        });
        var intermediate = await authorities.CreateIntermediateAsync(root.Id, new CreateCertificateAuthorityRequest(Unique("intermediate"), "CN=Conformance Devices CA, O=KeyInfra Tests")
        {
            Validity = TimeSpan.FromDays(1825),
            CrlDistributionPoint = new Uri("http://crl.example.net/intermediate.crl"),
        });
        return (root, intermediate);
    }

    /// <summary>A chain under a custom trust store holding only <paramref name="root"/>, with the intermediate as an extra certificate.</summary>
    protected static X509Chain CustomChain(CertificateAuthorityInfo root, CertificateAuthorityInfo intermediate, X509RevocationMode revocation)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(root.CertificateDer.Span));
        chain.ChainPolicy.ExtraStore.Add(X509CertificateLoader.LoadCertificate(intermediate.CertificateDer.Span));
        chain.ChainPolicy.RevocationMode = revocation;
        return chain;
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>Serves CRLs over HTTP on a loopback port (HttpListener), as a CRL distribution point would.</summary>
    protected sealed class CrlServer : IDisposable
    {
        private readonly System.Net.HttpListener _listener = new();
        private readonly Func<string, Task<byte[]?>> _crl;
        private readonly int _port;
        private int _requests;

        public CrlServer(Func<string, Task<byte[]?>> crl)
        {
            _crl = crl;
            using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                _port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
            _listener.Start();
            _ = ServeAsync();
        }

        public int Requests => Volatile.Read(ref _requests);

        public Uri UrlOf(string name) => new($"http://127.0.0.1:{_port}/{name}");

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is System.Net.HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                var body = await _crl(context.Request.Url!.AbsolutePath);
                context.Response.StatusCode = body is null ? 404 : 200;
                context.Response.ContentType = "application/pkix-crl";
                if (body is not null)
                {
                    await context.Response.OutputStream.WriteAsync(body);
                }

                context.Response.Close();
            }
        }
    }

    /// <summary>A temporary folder for openssl's files, removed on dispose.</summary>
    protected sealed class WorkFolder : IDisposable
    {
        private readonly string _path = Directory.CreateTempSubdirectory("keyinfra-certificates-").FullName;

        /// <summary>A PKCS#10 request made by openssl for a new P-256 key: subject CN=<paramref name="commonName"/>, the given subjectAltName.</summary>
        public byte[] Request(string commonName, string subjectAltName)
        {
            var key = Path.Combine(_path, Guid.NewGuid().ToString("N") + ".key");
            var csr = Path.Combine(_path, Guid.NewGuid().ToString("N") + ".csr");
            OpenSsl.Succeed("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr,
                "-subj", "/CN=" + commonName + "/O=Example", "-addext", "subjectAltName=" + subjectAltName);
            return File.ReadAllBytes(csr);
        }

        public string Write(string name, string text)
        {
            var file = Path.Combine(_path, name);
            File.WriteAllText(file, text);
            return file;
        }

        public string WriteBytes(string name, byte[] bytes)
        {
            var file = Path.Combine(_path, name);
            File.WriteAllBytes(file, bytes);
            return file;
        }

        public void Dispose() => Directory.Delete(_path, recursive: true);
    }
}
