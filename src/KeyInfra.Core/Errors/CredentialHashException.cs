namespace KeyInfra.Errors;

/// <summary>A stored credential hash (an application secret's or a user's password) cannot be checked: malformed (KI5101) or a refused legacy format (KI5102).</summary>
public sealed class CredentialHashException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    public CredentialHashException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
