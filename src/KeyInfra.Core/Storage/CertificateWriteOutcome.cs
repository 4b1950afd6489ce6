namespace KeyInfra.Storage;

/// <summary>What became of a certificate write (<see cref="ICertificateRepository"/>).</summary>
public enum CertificateWriteOutcome
{
    /// <summary>Written.</summary>
    Written = 1,

    /// <summary>Nothing written: the issuer already has a certificate with that serial number (draw another and retry).</summary>
    SerialTaken = 2,

    /// <summary>Nothing written: the row it changes is not in the state the caller read (a concurrent change won, or it is gone).</summary>
    Conflict = 3,
}
