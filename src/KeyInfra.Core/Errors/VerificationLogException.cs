namespace KeyInfra.Errors;

/// <summary>
/// The verification log could not commit records, or could not confirm their commit. A verification whose call fails
/// with this exception is not reported as done, but its record may still appear in the log (a commit whose flush failed
/// can be on disk after a crash), and a retry records a second outcome; no record that was acknowledged is lost.
/// </summary>
public sealed class VerificationLogException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    public VerificationLogException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
