namespace KeyInfra.Errors;

/// <summary>
/// The base of every exception KeyInfra throws for a condition a caller can act on.
/// </summary>
/// <remarks>
/// <see cref="ErrorCode"/> is stable across versions (<c>KI1001</c>, …) and is the first word of the
/// message, so it can be searched for in the docs and in logs. Messages never contain key material,
/// master keys, passwords or documents.
/// </remarks>
public class KeyInfraException : Exception
{
    /// <summary>Creates an exception with a stable error code and a message.</summary>
    public KeyInfraException(string errorCode, string message, Exception? innerException = null)
        : base($"{errorCode}: {message}", innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The stable error code, such as <c>KI1001</c>. See <see cref="ErrorCodes"/>.</summary>
    public string ErrorCode { get; }
}
