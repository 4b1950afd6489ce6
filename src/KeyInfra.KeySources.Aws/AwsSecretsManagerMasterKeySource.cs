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
/// <remarks>A refresh that fails keeps the last ring (event 5102) and turns the health check Degraded. Thread-safe.</remarks>
internal sealed class AwsSecretsManagerMasterKeySource : MasterKeySourceBase
{
    private readonly AwsSecretsManagerMasterKeyOptions _options;
    private readonly ILogger<AwsSecretsManagerMasterKeySource> _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly SecretsManagerClient _client;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<string> _versions = new(StringComparer.Ordinal);
    private AwsKeySourceStatus _status = AwsKeySourceStatus.Initial;
    private ITimer? _refreshTimer;

    public AwsSecretsManagerMasterKeySource(IOptions<AwsSecretsManagerMasterKeyOptions> options, ILogger<AwsSecretsManagerMasterKeySource> logger, TimeProvider? time = null)
    {
        _options = options.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        var region = RegionEndpoint.GetBySystemName(_options.Region);
        var credentials = _options.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
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
        _client = new SecretsManagerClient(_http, endpoint);
    }

    /// <summary>What the source last did.</summary>
    public AwsKeySourceStatus Status => Volatile.Read(ref _status);

    protected override async ValueTask<MasterKeyRing> LoadRingAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ring = await ReadRingAsync(cancellationToken).ConfigureAwait(false);
            var secret = SecretsManagerClient.Describe(_options);
            Log.Loaded(_logger, secret, Status.CurrentVersionId!, ring.Current.Id, ring.PreviousCount);
            if (_options.RefreshInterval > TimeSpan.Zero && _refreshTimer is null)
            {
                _refreshTimer = _time.CreateTimer(_ => _ = RefreshAsync(), null, _options.RefreshInterval, _options.RefreshInterval);
            }

            return ring;
        }
        catch (MasterKeyException ex)
        {
            Failed(ex);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads the secret again and publishes a new ring when its current version changed; never throws.</summary>
    internal async Task RefreshAsync()
    {
        var cancellationToken = _stopping.Token;
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var secret = SecretsManagerClient.Describe(_options);
        try
        {
            var current = await ReadAsync(_options.VersionId, _options.VersionStage, cancellationToken).ConfigureAwait(false);
            var unchanged = string.Equals(current.VersionId, Status.CurrentVersionId, StringComparison.Ordinal) && string.Equals(current.Key.Id, Status.CurrentKeyId, StringComparison.Ordinal);
            current.Key.Dispose();
            if (unchanged)
            {
                Volatile.Write(ref _status, Status with { LastSuccessAt = _time.GetUtcNow(), LastFailureAt = null, LastErrorCode = null, LastErrorMessage = null });
                return;
            }

            var ring = await ReadRingAsync(cancellationToken).ConfigureAwait(false);
            Publish(ring);
            Log.NewVersion(_logger, secret, Status.CurrentVersionId!, ring.Current.Id);
        }
        catch (MasterKeyException ex)
        {
            Failed(ex);
            Log.RefreshFailed(_logger, secret, ex.ErrorCode, ex.Message);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && _stopping.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Cancel();
            _refreshTimer?.Dispose();
            _http.Dispose();
        }

        base.Dispose(disposing);
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

    // The current version, the previous stage's, and every version this process used before.
    private async Task<MasterKeyRing> ReadRingAsync(CancellationToken cancellationToken)
    {
        var current = await ReadAsync(_options.VersionId, _options.VersionStage, cancellationToken).ConfigureAwait(false);
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
            Volatile.Write(ref _status, new AwsKeySourceStatus(current.VersionId, current.Key.Id, _time.GetUtcNow(), null, null, null));
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
            return await _client.ReadKeyAsync(_options, versionId, stage, cancellationToken).ConfigureAwait(false);
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

    private void Failed(MasterKeyException exception)
        => Volatile.Write(ref _status, Status with { LastFailureAt = _time.GetUtcNow(), LastErrorCode = exception.ErrorCode, LastErrorMessage = exception.Message });
}
