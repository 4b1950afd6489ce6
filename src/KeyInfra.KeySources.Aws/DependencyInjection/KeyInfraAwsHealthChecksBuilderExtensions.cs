using KeyInfra.HealthChecks;
using KeyInfra.KeySources.Aws;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the AWS key source's health check to a host's health checks.</summary>
public static class KeyInfraAwsHealthChecksBuilderExtensions
{
    /// <summary>The name of the check: <c>keyinfra.aws-secrets-manager</c>.</summary>
    public const string SecretsManagerName = "keyinfra.aws-secrets-manager";

    /// <summary>
    /// Adds <see cref="SecretsManagerName"/>, tagged <see cref="KeyInfraHealthChecks.Tag"/> and <see cref="KeyInfraHealthChecks.ReadyTag"/>:
    /// Healthy after a good read, Degraded while refreshes fail, the registration's failure status when no key could be
    /// read. Needs <c>UseAwsSecretsManagerMasterKey()</c>. Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder returned by <c>services.AddHealthChecks()</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddKeyInfrastructureAwsSecretsManager(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(Registered)))
        {
            return builder;
        }

        builder.Services.AddSingleton<Registered>();
        builder.Add(new HealthCheckRegistration(SecretsManagerName, sp => new MasterKeySourceHealthCheck(sp.GetRequiredService<AwsSecretsManagerMasterKeySource>(), "AWS Secrets Manager"), failureStatus: null, tags: [KeyInfraHealthChecks.Tag, KeyInfraHealthChecks.ReadyTag]));
        return builder;
    }

    /// <summary>The name of the KMS source's check: <c>keyinfra.aws-kms</c>.</summary>
    public const string KmsName = "keyinfra.aws-kms";

    /// <summary>
    /// Adds <see cref="KmsName"/>, tagged like the others: Healthy while KMS decrypts the data key, Degraded when a
    /// periodic check fails (the key already decrypted stays in use), the failure status when it never could. Needs
    /// <c>UseAwsKmsMasterKey()</c>. Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder returned by <c>services.AddHealthChecks()</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddKeyInfrastructureAwsKms(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(KmsRegistered)))
        {
            return builder;
        }

        builder.Services.AddSingleton<KmsRegistered>();
        builder.Add(new HealthCheckRegistration(KmsName, sp => new MasterKeySourceHealthCheck(sp.GetRequiredService<AwsKmsMasterKeySource>(), "AWS KMS"), failureStatus: null, tags: [KeyInfraHealthChecks.Tag, KeyInfraHealthChecks.ReadyTag]));
        return builder;
    }

    /// <summary>Marks a service collection whose check is added, so a second call adds none.</summary>
    private sealed class Registered;

    /// <summary>Marks a service collection whose KMS check is added.</summary>
    private sealed class KmsRegistered;
}
