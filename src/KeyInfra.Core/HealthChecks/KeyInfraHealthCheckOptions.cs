namespace KeyInfra.HealthChecks;

/// <summary>Settings of KeyInfra's health checks.</summary>
public sealed class KeyInfraHealthCheckOptions
{
    private double _verificationLogDegradedRatio = 0.8;

    /// <summary>
    /// The fraction of <see cref="Verification.VerificationLogOptions.BufferCapacity"/> above which a queue of records
    /// waiting to be committed reports <c>Degraded</c>: commits are not keeping up, and once the queue is full
    /// verifications wait for it. Default: 0.8. Greater than 0, at most 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not greater than 0 and at most 1.</exception>
    public double VerificationLogDegradedRatio
    {
        get => _verificationLogDegradedRatio;
        set
        {
            if (!(value > 0 && value <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "VerificationLogDegradedRatio is a fraction of the queue's capacity: greater than 0, at most 1.");
            }

            _verificationLogDegradedRatio = value;
        }
    }
}
