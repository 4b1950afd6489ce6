using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using Amazon;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.KeySources.Aws.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.KeySources.Aws;

/// <summary>
/// The master key source of <c>UseAwsKmsMasterKey()</c>: the data key (and older ones) decrypted by the real
/// <see cref="AmazonKeyManagementServiceClient"/> under the deployment's encryption context, each under its fingerprint
/// as key id. Refreshing asks KMS again, so a disabled key or a revoked permission shows in the health check while the
/// keys already decrypted stay in use.
/// </summary>
internal sealed class AwsKmsMasterKeySource : RefreshingMasterKeySource
{
    private readonly AwsKmsMasterKeyOptions _options;
    private readonly ILogger<AwsKmsMasterKeySource> _logger;
    private AmazonKeyManagementServiceClient? _kms;

    public AwsKmsMasterKeySource(IOptions<AwsKmsMasterKeyOptions> options, ILogger<AwsKmsMasterKeySource> logger, IMeterFactory? meterFactory = null, TimeProvider? time = null)
        : base(options.Value.RefreshInterval, time, meterFactory, "aws-kms")
    {
        _options = options.Value;
        _logger = logger;
    }

    protected override async Task<MasterKeyRing> ReadRingAsync(CancellationToken cancellationToken)
    {
        var keys = new List<MasterKey>();
        try
        {
            keys.Add(await DecryptAsync(_options.EncryptedDataKey!, "EncryptedDataKey", cancellationToken).ConfigureAwait(false));
            for (var i = 0; i < _options.PreviousEncryptedDataKeys.Count; i++)
            {
                var key = await DecryptAsync(_options.PreviousEncryptedDataKeys[i], $"PreviousEncryptedDataKeys[{i}]", cancellationToken).ConfigureAwait(false);
                if (keys.Exists(k => string.Equals(k.Id, key.Id, StringComparison.Ordinal)))
                {
                    key.Dispose();
                }
                else
                {
                    keys.Add(key);
                }
            }

            var ring = new MasterKeyRing(keys[0], keys.Skip(1));
            Log.KmsLoaded(_logger, _options.KeyId!, _options.Deployment!, ring.Current.Id, ring.PreviousCount);
            return ring;
        }
        catch
        {
            keys.ForEach(k => k.Dispose());
            throw;
        }
    }

    // The data keys cannot change under the same ciphertexts: a refresh only checks that KMS still decrypts them.
    protected override async Task<MasterKeyRing?> RefreshRingAsync(CancellationToken cancellationToken)
    {
        using var key = await DecryptAsync(_options.EncryptedDataKey!, "EncryptedDataKey", cancellationToken).ConfigureAwait(false);
        return string.Equals(key.Id, Status.CurrentKeyId, StringComparison.Ordinal)
            ? null
            : throw new MasterKeyException(AwsErrorCodes.BadResponse, $"KMS decrypted EncryptedDataKey to another key than at start (key id {key.Id}, not {Status.CurrentKeyId}); the key in use stays.");
    }

    protected override void OnRefreshFailed(MasterKeyException exception) => Log.KmsCheckFailed(_logger, _options.KeyId!, exception.ErrorCode, exception.Message);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _kms?.Dispose();
        }

        base.Dispose(disposing);
    }

    private AmazonKeyManagementServiceClient Kms()
    {
        if (_kms is not null)
        {
            return _kms;
        }

        AWSCredentials credentials;
        try
        {
            credentials = _options.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        }
        catch (AmazonClientException ex)
        {
            throw new MasterKeyException(AwsErrorCodes.AccessDenied,
                $"No AWS credentials were found to call KMS for key {_options.KeyId} ({ex.Message}). Set AwsKmsMasterKeyOptions.Credentials, or give the host credentials the SDK's chain finds.", ex);
        }

        var config = new AmazonKeyManagementServiceConfig
        {
            MaxErrorRetry = _options.MaxRetries,
            Timeout = _options.RequestTimeout,
        };
        if (_options.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = _options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(_options.Region);
        }

        return _kms = new AmazonKeyManagementServiceClient(credentials, config);
    }

    private async Task<MasterKey> DecryptAsync(string encrypted, string setting, CancellationToken cancellationToken)
    {
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(encrypted);
        }
        catch (FormatException ex)
        {
            throw new MasterKeyException(ErrorCodes.MasterKeyMalformed, $"AwsKmsMasterKeyOptions.{setting} is not Base64; it is the CiphertextBlob that AwsKmsDataKeys.GenerateAsync returned.", ex);
        }

        DecryptResponse response;
        try
        {
            response = await Kms().DecryptAsync(new DecryptRequest
            {
                CiphertextBlob = new MemoryStream(blob),
                KeyId = _options.KeyId,
                EncryptionContext = AwsKmsDataKeys.Context(_options.Deployment!),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException ex)
        {
            throw Translate(ex, setting);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException || (ex is TaskCanceledException or OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new MasterKeyException(AwsErrorCodes.Unreachable, $"AWS KMS could not be reached to decrypt {setting} ({ex.Message}). Check Region, ServiceUrl and the network.", ex);
        }

        using var plaintext = response.Plaintext;
        var bytes = plaintext.GetBuffer();
        try
        {
            if (plaintext.Length != MasterKey.KeySizeBytes)
            {
                throw new MasterKeyException(ErrorCodes.MasterKeyMalformed, $"KMS decrypted {setting} to {plaintext.Length} bytes; a master key is {MasterKey.KeySizeBytes}. Make it with AwsKmsDataKeys.GenerateAsync (an AES_256 data key).");
            }

            return new MasterKey(bytes.AsSpan(0, MasterKey.KeySizeBytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private MasterKeyException Translate(AmazonServiceException exception, string setting) => exception.ErrorCode switch
    {
        "InvalidCiphertextException" or "IncorrectKeyException" => new MasterKeyException(AwsErrorCodes.DataKeyRefused,
            $"KMS refused to decrypt {setting} under key {_options.KeyId} and deployment '{_options.Deployment}' ({exception.ErrorCode}): the ciphertext was changed, was made for another deployment, or under another key.", exception),
        "NotFoundException" => new MasterKeyException(AwsErrorCodes.SecretNotFound, $"KMS has no key {_options.KeyId} in {_options.Region} ({exception.Message}).", exception),
        "DisabledException" or "KMSInvalidStateException" or "KeyUnavailableException" => new MasterKeyException(AwsErrorCodes.DataKeyRefused,
            $"KMS key {_options.KeyId} cannot decrypt now ({exception.ErrorCode}: {exception.Message}); enable it or cancel its deletion.", exception),
        _ when exception.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized || exception.ErrorCode is "AccessDeniedException" or "UnrecognizedClientException" or "InvalidSignatureException" or "ExpiredTokenException"
            => new MasterKeyException(AwsErrorCodes.AccessDenied,
                $"AWS refused to decrypt {setting} with KMS key {_options.KeyId} ({exception.ErrorCode}: {exception.Message}). Check the credentials and that the identity may call kms:Decrypt on the key with this encryption context.", exception),
        _ => new MasterKeyException(AwsErrorCodes.BadResponse, $"KMS answered {(int)exception.StatusCode} {exception.ErrorCode} decrypting {setting} ({exception.Message}).", exception),
    };
}
