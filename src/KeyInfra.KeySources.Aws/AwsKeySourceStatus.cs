namespace KeyInfra.KeySources.Aws;

/// <summary>What the Secrets Manager source last did, for its health check.</summary>
internal sealed record AwsKeySourceStatus(string? CurrentVersionId, string? CurrentKeyId, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastErrorCode, string? LastErrorMessage)
{
    public static AwsKeySourceStatus Initial { get; } = new(null, null, null, null, null, null);
}
