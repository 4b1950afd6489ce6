using System.Security.Cryptography;
using KeyInfra.Errors;
using KeyInfra.Pkcs11.Sessions;
using KeyInfra.Signing;
using KeyInfra.Tenancy;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace KeyInfra.Pkcs11.HealthChecks;

/// <summary>
/// The tokens of the checked slots are present and their pools logged in (a session's state is a user state), and the
/// probe key, if one is configured, signs. A failure names the slot and the error code, never a PIN.
/// </summary>
internal sealed class Pkcs11HealthCheck(Pkcs11Runtime runtime, ITenantContext tenant, ISigner signer, IOptions<Pkcs11HealthCheckOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        var tenantId = tenant.TenantId;
        IEnumerable<string> names = settings.Slots.Count > 0
            ? settings.Slots
            : (await runtime.Repository.ListSlotsAsync(tenantId, cancellationToken).ConfigureAwait(false)).Select(s => s.Name);
        var data = new Dictionary<string, object>();
        var problems = new List<string>();
        foreach (var name in names)
        {
            try
            {
                var slot = await runtime.FindSlotAsync(tenantId, name, cancellationToken).ConfigureAwait(false);
                await slot.Pool.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
                var (_, loggedIn) = await slot.Pool.DescribeAsync(cancellationToken).ConfigureAwait(false);
                data[$"slot:{name}"] = loggedIn ? "logged in" : "not logged in";
                if (!loggedIn)
                {
                    problems.Add($"slot '{name}': the token is present but its session is not logged in");
                }
            }
            catch (KeyInfraException e)
            {
                data[$"slot:{name}"] = e.ErrorCode;
                problems.Add($"slot '{name}': {e.ErrorCode}");
            }
        }

        if (settings.ProbeKeyId is { } probe)
        {
            try
            {
                await signer.SignAsync(new SignRequest(probe, RandomNumberGenerator.GetBytes(32)), cancellationToken).ConfigureAwait(false);
                data["probe"] = "signed";
            }
            catch (KeyInfraException e)
            {
                data["probe"] = e.ErrorCode;
                problems.Add($"probe key {probe}: {e.ErrorCode}");
            }
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{data.Count} PKCS#11 check(s) passed.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"PKCS#11: {string.Join("; ", problems)}. The application log has the details.", data: data);
    }
}
