using KeyInfra.Encryption;
using KeyInfra.KeySources.Aws;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Takes KeyInfra's master key from AWS.</summary>
public static class KeyInfraAwsBuilderExtensions
{
    /// <summary>
    /// Makes an AWS Secrets Manager secret the host's master key source (see <see cref="AwsSecretsManagerMasterKeyOptions"/>),
    /// replacing any source registered before. The options are validated at start, and the key is first read when
    /// KeyInfra starts: a failure then fails the start (KI7101–KI7105, KI2002).
    /// </summary>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IKeyInfrastructureBuilder UseAwsSecretsManagerMasterKey(this IKeyInfrastructureBuilder builder, Action<AwsSecretsManagerMasterKeyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<AwsSecretsManagerMasterKeyOptions>().Configure(configure);
        return Register(builder);
    }

    /// <summary>Makes an AWS Secrets Manager secret the master key source, with the options bound from <paramref name="configuration"/> (for example the section <c>KeyInfra:Aws</c>).</summary>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <param name="configuration">The section whose keys are <see cref="AwsSecretsManagerMasterKeyOptions"/>' property names.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IKeyInfrastructureBuilder UseAwsSecretsManagerMasterKey(this IKeyInfrastructureBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<AwsSecretsManagerMasterKeyOptions>().Bind(configuration);
        return Register(builder);
    }

    /// <summary>
    /// Makes a data key encrypted by AWS KMS the host's master key source (see <see cref="AwsKmsMasterKeyOptions"/>),
    /// replacing any source registered before: KMS decrypts it at start under the deployment's encryption context, and a
    /// failure then fails the start (KI7101–KI7105, KI2002). Make the encrypted data key once with
    /// <see cref="AwsKmsDataKeys.GenerateAsync"/>.
    /// </summary>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IKeyInfrastructureBuilder UseAwsKmsMasterKey(this IKeyInfrastructureBuilder builder, Action<AwsKmsMasterKeyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<AwsKmsMasterKeyOptions>().Configure(configure);
        return RegisterKms(builder);
    }

    /// <summary>
    /// Makes a data key encrypted by AWS KMS the master key source, with the options bound from <paramref name="configuration"/>
    /// (for example the section <c>KeyInfra:AwsKms</c>; <c>PreviousEncryptedDataKeys</c> as an array). Credentials cannot come
    /// from configuration: without <see cref="AwsKmsMasterKeyOptions.Credentials"/> (set it with the other overload, which may
    /// follow this one) the SDK's default chain is used.
    /// </summary>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <param name="configuration">The section whose keys are <see cref="AwsKmsMasterKeyOptions"/>' property names.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IKeyInfrastructureBuilder UseAwsKmsMasterKey(this IKeyInfrastructureBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<AwsKmsMasterKeyOptions>().Bind(configuration);
        return RegisterKms(builder);
    }

    private static IKeyInfrastructureBuilder RegisterKms(IKeyInfrastructureBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AwsKmsMasterKeyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsKmsMasterKeyOptions>, AwsKmsMasterKeyOptionsValidator>());
        services.TryAddSingleton(sp => new AwsKmsMasterKeySource(
            sp.GetRequiredService<IOptions<AwsKmsMasterKeyOptions>>(),
            sp.GetRequiredService<ILogger<AwsKmsMasterKeySource>>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetService<TimeProvider>()));
        return builder.UseMasterKeySource<IEncryptionKeyProvider>(sp => sp.GetRequiredService<AwsKmsMasterKeySource>());
    }

    private static IKeyInfrastructureBuilder Register(IKeyInfrastructureBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AwsSecretsManagerMasterKeyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsSecretsManagerMasterKeyOptions>, AwsSecretsManagerMasterKeyOptionsValidator>());
        services.TryAddSingleton(sp => new AwsSecretsManagerMasterKeySource(
            sp.GetRequiredService<IOptions<AwsSecretsManagerMasterKeyOptions>>(),
            sp.GetRequiredService<ILogger<AwsSecretsManagerMasterKeySource>>(),
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetService<TimeProvider>()));
        return builder.UseMasterKeySource<IEncryptionKeyProvider>(sp => sp.GetRequiredService<AwsSecretsManagerMasterKeySource>());
    }
}
