using BenchmarkDotNet.Attributes;
using KeyInfra.Keys;
using KeyInfra.Pkcs11;
using KeyInfra.Pkcs11.Slots;
using KeyInfra.Signing;
using Microsoft.Extensions.DependencyInjection;
using Net.Pkcs11Interop.HighLevelAPI;

namespace KeyInfra.Benchmarks;

/// <summary>
/// Case 7: signing with a key inside a PKCS#11 token (SoftHSM2), through KeyInfra's session pool
/// (<see cref="ISigner.SignAsync"/>: one logged-in session per token kept open, a pooled session per concurrent
/// signature), against the seed system's way (<see cref="SeedHsmSigner"/>: a session and a login for every signature),
/// by 1 and 8 concurrent callers. Each invocation makes <see cref="Operations"/> signatures split between the callers,
/// so every row reads per signature.
/// </summary>
/// <remarks>
/// Needs the SoftHSM2 tokens of tests/provision-softhsm.sh in the environment (<c>KEYINFRA_PKCS11_MODULE</c>,
/// <c>SOFTHSM2_CONF</c>, <c>KEYINFRA_TEST_HSM_TOKEN</c>, <c>KEYINFRA_TEST_HSM_PIN</c>). Each benchmark case runs in a
/// process of its own (BenchmarkDotNet's default) and sets up only what it measures, so the baseline's logins are real:
/// no KeyInfra pool in its process holds the token's login.
/// </remarks>
public class HsmSigningBenchmarks : IDisposable
{
    /// <summary>Signatures per invocation (divisible by every <see cref="Callers"/> value).</summary>
    public const int Operations = 64;

    private readonly byte[] _message = new byte[256];
    private BenchmarkHost? _host;
    private SignRequest _request = null!;
    private SeedHsmSigner? _seed;
    private ISession[] _sessions = [];

    /// <summary>The key type.</summary>
    [Params("ecdsa-p256", "ed25519")]
    public string Spec { get; set; } = "ecdsa-p256";

    /// <summary>How many callers sign at once.</summary>
    [Params(1, 8)]
    public int Callers { get; set; } = 1;

    /// <summary>The baseline's setup: a key pair in the token, made with Pkcs11Interop; nothing of KeyInfra is loaded.</summary>
    [GlobalSetup(Target = nameof(SeedSessionAndLoginPerSignature))]
    public void SetupSeed()
    {
        new Random(42).NextBytes(_message);
        _seed = SeedHsmSigner.Create(Require("KEYINFRA_PKCS11_MODULE"), Require("KEYINFRA_TEST_HSM_TOKEN"), Require("KEYINFRA_TEST_HSM_PIN"), Spec == "ed25519");
        _seed.Sign(_message);
    }

    /// <summary>The ceiling's setup: the baseline's key, a session per caller opened and logged in once.</summary>
    [GlobalSetup(Target = nameof(TokenAloneSessionPerCaller))]
    public void SetupTokenAlone()
    {
        SetupSeed();
        _sessions = _seed!.OpenSessionsPerCaller(Callers);
    }

    /// <summary>KeyInfra's setup: a host with <c>AddPkcs11</c>, the module and slot stored, a key generated in the token, one signature to warm up.</summary>
    [GlobalSetup(Target = nameof(KeyInfraPooledSession))]
    public void SetupKeyInfra() => SetupKeyInfra(Verification.LogMode.Buffered);

    /// <summary>As <see cref="SetupKeyInfra()"/>, with the data-plane audit log off.</summary>
    [GlobalSetup(Target = nameof(KeyInfraPooledSessionAuditOff))]
    public void SetupKeyInfraAuditOff() => SetupKeyInfra(Verification.LogMode.Off);

    private void SetupKeyInfra(Verification.LogMode dataPlaneAudit)
    {
        new Random(42).NextBytes(_message);
        var module = Require("KEYINFRA_PKCS11_MODULE");
        _host = BenchmarkHost.Start(o =>
        {
            o.VerificationLog.Mode = Verification.LogMode.Off;
            o.Audit.DataPlane = dataPlaneAudit;
        }, extend: k => k.AddPkcs11(o =>
        {
            o.ModulePath = module;
            o.MaxSessionsPerToken = 8;
        }));
        var manager = _host.Services.GetRequiredService<IHsmManager>();
        manager.AddModuleAsync("softhsm", module).GetAwaiter().GetResult();
        var pin = System.Text.Encoding.UTF8.GetBytes(Require("KEYINFRA_TEST_HSM_PIN"));
        manager.AddSlotAsync(new AddHsmSlotRequest("bench", "softhsm") { TokenLabel = Require("KEYINFRA_TEST_HSM_TOKEN") }, pin).GetAwaiter().GetResult();
        var key = _host.Keys.CreateAsync(new CreateKeyRequest(KeySpec.Parse(Spec), $"bench-hsm-{Spec}")
        {
            Backend = Pkcs11BackendOptionNames.BackendName,
            BackendOptions = new Dictionary<string, string> { [Pkcs11BackendOptionNames.Slot] = "bench" },
        }).GetAwaiter().GetResult();
        _request = new SignRequest(key.Id, _message);
        _host.Signer.SignAsync(_request).GetAwaiter().GetResult();
    }

    /// <summary>The seed system's way: a session and a login for every signature.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public Task SeedSessionAndLoginPerSignature()
        => RunCallers(_ =>
        {
            _seed!.Sign(_message);
            return Task.CompletedTask;
        });

    /// <summary>
    /// The token alone: each caller signs on a session of its own opened beforehand, with nothing of KeyInfra's. No
    /// pool can sign faster than this; it says how much of the pool's time is the token's.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task TokenAloneSessionPerCaller()
        => RunCallers(caller =>
        {
            _seed!.SignOn(_sessions[caller], _message);
            return Task.CompletedTask;
        });

    /// <summary><see cref="ISigner.SignAsync"/> through the session pool, with the data-plane audit record of each signature (Buffered, the default).</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task KeyInfraPooledSession() => RunCallers(_ => _host!.Signer.SignAsync(_request));

    /// <summary>
    /// The same with the data-plane audit log off: the pool and the signer alone, as the seed system (which recorded
    /// nothing) would compare; the difference to <see cref="KeyInfraPooledSession"/> is the audit record's.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task KeyInfraPooledSessionAuditOff() => RunCallers(_ => _host!.Signer.SignAsync(_request));

    /// <summary>Destroys the baseline's key pair, or stops the host (its pool logs out and finalizes the module).</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var session in _sessions)
        {
            session.Dispose();
        }

        _seed?.Dispose();
        _host?.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task RunCallers(Func<int, Task> sign)
    {
        var perCaller = Operations / Callers;
        var tasks = new Task[Callers];
        for (var i = 0; i < tasks.Length; i++)
        {
            var caller = i;
            tasks[i] = Task.Run(async () =>
            {
                for (var j = 0; j < perCaller; j++)
                {
                    await sign(caller);
                }
            });
        }

        return Task.WhenAll(tasks);
    }

    private static string Require(string variable)
        => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: run the HSM benchmark with SoftHSM2 tokens provisioned (source tests/provision-softhsm.sh && keyinfra_hsm_start).");
}
