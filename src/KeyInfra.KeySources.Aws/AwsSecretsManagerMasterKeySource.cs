using System.Diagnostics.Metrics;
using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.KeySources.Aws.Client;
using KeyInfra.KeySources.Aws.Errors;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace KeyInfra.KeySources.Aws;

/// <summary>
/// The master key source of <c>UseAwsSecretsManagerMasterKey()</c>: the current version of the secret, the version in
/// the previous stage, and every version the process used, read again on the refresh interval.
/// </summary>
/// <remarks>A refresh that fails keeps the last ring (event 5102) and turns the health check Degraded. Thread-safe (the base runs loads and refreshes one at a time).</remarks>
internal sealed class AwsSecretsManagerMasterKeySource : RefreshingMasterKeySource
{
    private readonly AwsSecretsManagerMasterKeyOptions _options;
    private readonly ILogger<AwsSecretsManagerMasterKeySource> _logger;
    private readonly HashSet<string> _versions = new(StringComparer.Ordinal);
    private HttpClient? _http;
    private SecretsManagerClient? _client;
    private string? _currentVersionId;

    public AwsSecretsManagerMasterKeySource(IOptions<AwsSecretsManagerMasterKeyOptions> options, ILogger<AwsSecretsManagerMasterKeySource> logger, IMeterFactory? meterFactory = null, TimeProvider? time = null)
        : base(options.Value.RefreshInterval, time, meterFactory, "aws-secrets-manager")
    {
        _options = options.Value;
        _logger = logger;
    }

    protected override async Task<MasterKeyRing> ReadRingAsync(CancellationToken cancellationToken)
    {
        var current = await ReadAsync(_options.VersionId, _options.VersionStage, cancellationToken).ConfigureAwait(false);
        var ring = await RingAsync(current, cancellationToken).ConfigureAwait(false);
        var secret = SecretsManagerClient.Describe(_options);
        Log.Loaded(_logger, secret, _currentVersionId!, ring.Current.Id, ring.PreviousCount);
        return ring;
    }

    protected override async Task<MasterKeyRing?> RefreshRingAsync(CancellationToken cancellationToken)
    {
        var current = await ReadAsync(_options.VersionId, _options.VersionStage, cancellationToken).ConfigureAwait(false);
        if (string.Equals(current.VersionId, _currentVersionId, StringComparison.Ordinal) && string.Equals(current.Key.Id, Status.CurrentKeyId, StringComparison.Ordinal))
        {
            current.Key.Dispose();
            return null;
        }

        var ring = await RingAsync(current, cancellationToken).ConfigureAwait(false);
        var secret = SecretsManagerClient.Describe(_options);
        Log.NewVersion(_logger, secret, _currentVersionId!, ring.Current.Id);
        return ring;
    }

    protected override void OnRefreshFailed(MasterKeyException exception)
    {
        var secret = SecretsManagerClient.Describe(_options);
        Log.RefreshFailed(_logger, secret, exception.ErrorCode, exception.Message);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _http?.Dispose();
        }

        base.Dispose(disposing);
    }

    // Made on first use, so that a host without credentials fails with the source's error, not at resolution.
    private SecretsManagerClient Client()
    {
        if (_client is not null)
        {
            return _client;
        }

        AWSCredentials credentials;
        try
        {
            credentials = _options.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        }
        catch (AmazonClientException ex)
        {
            throw new MasterKeyException(AwsErrorCodes.AccessDenied,
                $"No AWS credentials were found to read secret {SecretsManagerClient.Describe(_options)} ({ex.Message}). Set AwsSecretsManagerMasterKeyOptions.Credentials, or give the host credentials the SDK's chain finds (environment, profile, web identity, container or instance role).", ex);
        }

        var region = RegionEndpoint.GetBySystemName(_options.Region);
        var endpoint = _options.ServiceUrl ?? new Uri($"https://secretsmanager.{_options.Region}.amazonaws.com/");
        _http = new HttpClient(Pipeline(_options, new SigV4SigningHandler(credentials, region, "secretsmanager", new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = _options.RequestTimeout,
        })))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        return _client = new SecretsManagerClient(_http, endpoint);
    }

    private static ResilienceHandler Pipeline(AwsSecretsManagerMasterKeyOptions options, HttpMessageHandler signing)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = options.MaxRetries, Delay = options.RetryDelay, BackoffType = DelayBackoffType.Exponential, UseJitter = true });
        }

        pipeline.AddTimeout(options.RequestTimeout);
        return new ResilienceHandler(pipeline.Build()) { InnerHandler = signing };
    }

    // The ring of the current version (the ring owns its key), the previous stage's, and every version this process used before.
    private async Task<MasterKeyRing> RingAsync(SecretsManagerSecretKey current, CancellationToken cancellationToken)
    {
        var keys = new List<MasterKey> { current.Key };
        var versions = new HashSet<string>(StringComparer.Ordinal) { current.VersionId };
        try
        {
            if (_options.PreviousVersionStage is { } stage)
            {
                try
                {
                    var previous = await ReadAsync(null, stage, cancellationToken).ConfigureAwait(false);
                    Add(previous);
                }
                catch (MasterKeyException ex) when (ex.ErrorCode == AwsErrorCodes.SecretNotFound)
                {
                    var secret = SecretsManagerClient.Describe(_options);
                    Log.NoPreviousVersion(_logger, secret, stage);
                }
            }

            foreach (var used in _versions.Where(v => !versions.Contains(v)).ToList())
            {
                // A version the process used must stay readable: if AWS no longer has it, the refresh fails and the old ring stays.
                Add(await ReadAsync(used, null, cancellationToken).ConfigureAwait(false));
            }

            _versions.UnionWith(versions);
            _currentVersionId = current.VersionId;
            return new MasterKeyRing(keys[0], keys.Skip(1));
        }
        catch
        {
            keys.ForEach(k => k.Dispose());
            throw;
        }

        void Add(SecretsManagerSecretKey version)
        {
            versions.Add(version.VersionId);
            if (keys.Exists(k => string.Equals(k.Id, version.Key.Id, StringComparison.Ordinal)))
            {
                version.Key.Dispose();
            }
            else
            {
                keys.Add(version.Key);
            }
        }
    }

    private async Task<SecretsManagerSecretKey> ReadAsync(string? versionId, string? stage, CancellationToken cancellationToken)
    {
        var secret = SecretsManagerClient.Describe(_options);
        try
        {
            return await Client().ReadKeyAsync(_options, versionId, stage, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretsManagerRequestException ex)
        {
            throw ex.ErrorType switch
            {
                "ResourceNotFoundException" => new MasterKeyException(AwsErrorCodes.SecretNotFound,
                    $"AWS Secrets Manager has no secret {secret}{((versionId ?? stage) is { } v ? $" with version or stage {v}" : string.Empty)} ({ex.AwsMessage}). Check SecretId, Region, VersionId and VersionStage.", ex),
                "InvalidRequestException" => new MasterKeyException(AwsErrorCodes.SecretNotFound,
                    $"AWS Secrets Manager refused to read secret {secret} ({ex.AwsMessage}); it may be scheduled for deletion. Restore it, or point SecretId at another secret.", ex),
                _ when ex.Status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized || ex.ErrorType is "AccessDeniedException" or "UnrecognizedClientException" or "InvalidSignatureException" or "SignatureDoesNotMatch" or "ExpiredTokenException" or "AccessDenied"
                    => new MasterKeyException(AwsErrorCodes.AccessDenied,
                        $"AWS refused to read secret {secret} ({ex.ErrorType}: {ex.AwsMessage}). Check the credentials and that the identity may call secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its KMS key).", ex),
                _ => new MasterKeyException(AwsErrorCodes.BadResponse, $"AWS answered {(int)ex.Status} {ex.ErrorType} reading secret {secret} ({ex.AwsMessage}).", ex),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new MasterKeyException(AwsErrorCodes.Unreachable,
                $"AWS Secrets Manager could not be reached to read secret {secret} ({ex.Message}). Check Region, ServiceUrl and the network.", ex);
        }
    }
}
