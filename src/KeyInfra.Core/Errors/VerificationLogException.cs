namespace KeyInfra.Errors;

/// <summary>
/// The verification log could not commit records. The verifications whose calls fail with this
/// exception were not recorded; no record that was acknowledged is lost.
/// </summary>
public sealed class VerificationLogException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    public VerificationLogException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
