using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using KeyInfra.Certificates;
using KeyInfra.Keys;
using KeyInfra.Pkcs11;
using KeyInfra.Pkcs11.Slots;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Benchmarks;

/// <summary>
/// Case 8: issuing a certificate from a PKCS#10 request (<see cref="ICertificateStore.IssueAsync"/>) under a P-256
/// authority whose key is a software key KeyInfra holds (the baseline) and one whose key is in a SoftHSM2 token, on
/// SQLite; and, as the floor under both, the BCL alone (<see cref="CertificateRequest.LoadSigningRequest(byte[], HashAlgorithmName, CertificateRequestLoadOptions, RSASignaturePadding?)"/>
/// and <see cref="CertificateRequest.Create(X500DistinguishedName, X509SignatureGenerator, DateTimeOffset, DateTimeOffset, ReadOnlySpan{byte})"/>
/// with an in-memory <see cref="ECDsa"/> key, the same extensions, nothing stored).
/// </summary>
/// <remarks>
/// The requests (P-256, a CN and one DNS name) are made in <c>GlobalSetup</c> with the BCL and used in turn. The HSM
/// case needs the SoftHSM2 tokens of tests/provision-softhsm.sh in the environment (<c>KEYINFRA_PKCS11_MODULE</c>,
/// <c>SOFTHSM2_CONF</c>, <c>KEYINFRA_TEST_HSM_TOKEN</c>, <c>KEYINFRA_TEST_HSM_PIN</c>). Each case runs in a process of its
/// own (BenchmarkDotNet's default) and sets up only what it measures.
/// </remarks>
public class CertificateIssuanceBenchmarks : IDisposable
{
    private const int Requests = 64;

    private readonly byte[][] _requests = new byte[Requests][];
    private int _next;
    private BenchmarkHost? _host;
    private ICertificateStore _store = null!;
    private Guid _authorityId;
    private ECDsa? _bclKey;
    private X509Certificate2? _bclAuthority;
    private X509SignatureGenerator? _bclGenerator;

    /// <summary>The floor's setup: a self-signed P-256 authority made with the BCL; nothing of KeyInfra is loaded.</summary>
    [GlobalSetup(Target = nameof(BclCreateWithInMemoryKey))]
    public void SetupBcl()
    {
        MakeRequests();
        _bclKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Benchmark BCL CA", _bclKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        _bclAuthority = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        _bclGenerator = X509SignatureGenerator.CreateForECDsa(_bclKey);
        using var warm = BclCreateWithInMemoryKey();
    }

    /// <summary>The baseline's setup: a host on SQLite and a root authority with a software P-256 key, one certificate issued to warm up.</summary>
    [GlobalSetup(Target = nameof(IssueFromCsrSoftwareCa))]
    public void SetupSoftware()
    {
        MakeRequests();
        _host = BenchmarkHost.Start();
        CreateAuthority(new CreateCertificateAuthorityRequest("bench-software", "CN=Benchmark Software CA") { KeySpec = KeySpec.EcdsaP256 });
    }

    /// <summary>The HSM case's setup: as the baseline's, with <c>AddPkcs11</c>, the module and slot stored and the authority's P-256 key generated in the token.</summary>
    [GlobalSetup(Target = nameof(IssueFromCsrHsmCa))]
    public void SetupHsm()
    {
        MakeRequests();
        var module = Require("KEYINFRA_PKCS11_MODULE");
        _host = BenchmarkHost.Start(extend: k => k.AddPkcs11(o => o.ModulePath = module));
        var manager = _host.Services.GetRequiredService<IHsmManager>();
        manager.AddModuleAsync("softhsm", module).GetAwaiter().GetResult();
        var pin = System.Text.Encoding.UTF8.GetBytes(Require("KEYINFRA_TEST_HSM_PIN"));
        manager.AddSlotAsync(new AddHsmSlotRequest("bench", "softhsm") { TokenLabel = Require("KEYINFRA_TEST_HSM_TOKEN") }, pin).GetAwaiter().GetResult();
        CreateAuthority(new CreateCertificateAuthorityRequest("bench-hsm", "CN=Benchmark HSM CA")
        {
            KeySpec = KeySpec.EcdsaP256,
            KeyBackend = Pkcs11BackendOptionNames.BackendName,
            KeyBackendOptions = new Dictionary<string, string> { [Pkcs11BackendOptionNames.Slot] = "bench" },
        });
    }

    /// <summary>
    /// The BCL alone: read and check the request, add the extensions KeyInfra's network-device profile adds, sign
    /// with an ECDSA key object in memory. No authorization, no storage, no audit: what KeyInfra adds is the rest.
    /// </summary>
    [Benchmark]
    public X509Certificate2 BclCreateWithInMemoryKey()
    {
        var request = CertificateRequest.LoadSigningRequest(NextRequest(), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        var extensions = request.CertificateExtensions;
        extensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        extensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        extensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        extensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        extensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_bclAuthority!, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        var now = DateTimeOffset.UtcNow;
        return request.Create(_bclAuthority!.SubjectName, _bclGenerator!, now, now.AddDays(365), serial);
    }

    /// <summary><see cref="ICertificateStore.IssueAsync"/> from a request, under an authority with a software P-256 key.</summary>
    [Benchmark(Baseline = true)]
    public Task<CertificateInfo> IssueFromCsrSoftwareCa() => Issue();

    /// <summary><see cref="ICertificateStore.IssueAsync"/> from a request, under an authority whose P-256 key is in the SoftHSM2 token.</summary>
    [Benchmark]
    public Task<CertificateInfo> IssueFromCsrHsmCa() => Issue();

    /// <summary>Stops the host (and with it the HSM pool) or disposes the BCL's key.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _host?.Dispose();
        _bclAuthority?.Dispose();
        _bclKey?.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<CertificateInfo> Issue() => _store.IssueAsync(new IssueCertificateRequest(_authorityId) { SigningRequest = NextRequest() });

    private void CreateAuthority(CreateCertificateAuthorityRequest request)
    {
        var authority = _host!.Services.GetRequiredService<ICertificateAuthorities>().CreateRootAsync(request).GetAwaiter().GetResult();
        _authorityId = authority.Id;
        _store = _host.Services.GetRequiredService<ICertificateStore>();
        Issue().GetAwaiter().GetResult();
    }

    private byte[] NextRequest() => _requests[_next++ % Requests];

    private void MakeRequests()
    {
        for (var i = 0; i < Requests; i++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var name = $"device-{i:D2}.example.net";
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(name);
            request.CertificateExtensions.Add(names.Build());
            _requests[i] = request.CreateSigningRequest();
        }
    }

    private static string Require(string variable)
        => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: run the HSM benchmark with SoftHSM2 tokens provisioned (source tests/provision-softhsm.sh && keyinfra_hsm_start).");
}
