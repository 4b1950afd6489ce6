using System.Net;

namespace KeyInfra.KeySources.Aws.Client;

/// <summary>A request AWS answered with an error: its status and error type (<c>__type</c>, or an XML <c>Code</c>) and message.</summary>
internal sealed class SecretsManagerRequestException(HttpStatusCode status, string errorType, string? message)
    : Exception($"AWS answered {(int)status} {errorType}{(message is null ? string.Empty : ": " + message)}")
{
    public HttpStatusCode Status { get; } = status;

    public string ErrorType { get; } = errorType;

    public string? AwsMessage { get; } = message;
}
