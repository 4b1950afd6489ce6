namespace KeyInfra.Errors;

/// <summary>
/// Encrypted data could not be decrypted: it is truncated, of an unknown format version, was tampered
/// with, was moved to another row, or was encrypted under a master key that is not available.
/// </summary>
public sealed class EncryptedDataException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    public EncryptedDataException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
