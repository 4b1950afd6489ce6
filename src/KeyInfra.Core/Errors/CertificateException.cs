namespace KeyInfra.Errors;

/// <summary>A certificate could not be issued as asked: a malformed or forged signing request, or a request its profile or issuer does not allow.</summary>
public sealed class CertificateException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    public CertificateException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
