using KeyInfra.Verification;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace KeyInfra.HealthChecks;

/// <summary>
/// The verification log's writer runs and keeps up: a writer that stopped is unhealthy (nothing is committed until
/// the process restarts), a queue above <see cref="KeyInfraHealthCheckOptions.VerificationLogDegradedRatio"/> of its
/// capacity is degraded, and <see cref="LogMode.Off"/> is healthy with a description saying nothing is recorded.
/// </summary>
internal sealed class VerificationLogHealthCheck(VerificationLog writer, IOptions<KeyInfraHealthCheckOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(Check(context));

    private HealthCheckResult Check(HealthCheckContext context)
    {
        if (writer.Writer.IsCompletedSuccessfully && writer.Mode == LogMode.Off)
        {
            return HealthCheckResult.Healthy("The verification and audit logs are Off: nothing is recorded, so there is no writer to check.");
        }

        if (writer.Writer.IsFaulted)
        {
            var cause = writer.Writer.Exception?.InnerException ?? writer.Writer.Exception;
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"The verification log writer failed ({cause?.GetType().Name}) and commits nothing more; restart the process. The application log has the details.");
        }

        if (writer.Writer.IsCompleted)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The verification log writer has stopped: the host is shutting down.");
        }

        var length = writer.QueueLength;
        var capacity = writer.QueueCapacity;
        var data = new Dictionary<string, object>
        {
            ["queue_length"] = length,
            ["queue_capacity"] = capacity,
            ["mode"] = writer.Mode.ToString(),
        };
        return length > options.Value.VerificationLogDegradedRatio * capacity
            ? HealthCheckResult.Degraded(
                $"The verification log is backed up: {length} of {capacity} queue slots are taken, so commits are not keeping up and verifications will wait once it is full. Check the database's write latency (metric keyinfra.verification_log.commit.duration).",
                data: data)
            : HealthCheckResult.Healthy(writer.Mode == LogMode.Off
                ? $"Verifications are not recorded (the verification log is Off); the writer runs for the audit logs, and {length} of {capacity} queue slots are taken."
                : $"The verification log writer runs ({writer.Mode}); {length} of {capacity} queue slots are taken.", data);
    }
}
