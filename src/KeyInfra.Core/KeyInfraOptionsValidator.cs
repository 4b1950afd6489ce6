using Microsoft.Extensions.Options;

namespace KeyInfra;

/// <summary>Checks KeyInfra's options when the host starts, so a bad setting fails fast with its name.</summary>
internal sealed class KeyInfraOptionsValidator : IValidateOptions<KeyInfraOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyInfraOptions options)
    {
        var failures = new List<string>();
        var log = options.VerificationLog;
        if (!Enum.IsDefined(log.Mode))
        {
            failures.Add($"KeyInfra:VerificationLog:Mode '{log.Mode}' is not Durable, Buffered or Off.");
        }

        if (!Enum.IsDefined(options.Audit.ControlPlane) || !Enum.IsDefined(options.Audit.DataPlane))
        {
            failures.Add($"KeyInfra:Audit:ControlPlane '{options.Audit.ControlPlane}' and KeyInfra:Audit:DataPlane '{options.Audit.DataPlane}' must each be Durable, Buffered or Off.");
        }

        failures.AddRange(Authorization.RolePermissions.Validate(options.AccessControl));

        foreach (var curve in options.Curves.Disabled)
        {
            if (!Keys.CurvePolicy.TryParse(curve, out _))
            {
                failures.Add($"KeyInfra:Curves:Disabled names '{Authorization.CallerText.Printable(curve)}', which is not a curve; the curves are {string.Join(", ", Keys.CurvePolicy.Names.Values)}.");
            }
        }

        if (options.CredentialHashing.Iterations is < Identity.CredentialHashingOptions.MinIterations or > Identity.CredentialHashingOptions.MaxIterations)
        {
            failures.Add($"KeyInfra:CredentialHashing:Iterations is {options.CredentialHashing.Iterations}; it must be {Identity.CredentialHashingOptions.MinIterations}–{Identity.CredentialHashingOptions.MaxIterations} (default 600000).");
        }

        if (log.MaxBatchSize is < 1 or > 10_000)
        {
            failures.Add($"KeyInfra:VerificationLog:MaxBatchSize is {log.MaxBatchSize}; it must be 1–10000.");
        }

        if (log.MaxBatchDelay < TimeSpan.Zero || log.MaxBatchDelay > TimeSpan.FromSeconds(1))
        {
            failures.Add($"KeyInfra:VerificationLog:MaxBatchDelay is {log.MaxBatchDelay}; it must be 0 to 1 second.");
        }

        if (log.BufferCapacity is < 1 or > 1_000_000)
        {
            failures.Add($"KeyInfra:VerificationLog:BufferCapacity is {log.BufferCapacity}; it must be 1–1000000.");
        }

        if (log.MaxBatchRequests is < 1 or > 10_000_000)
        {
            failures.Add($"KeyInfra:VerificationLog:MaxBatchRequests is {log.MaxBatchRequests}; it must be 1–10000000.");
        }

        if (log.ChainHeadInterval != TimeSpan.Zero && (log.ChainHeadInterval < TimeSpan.FromSeconds(1) || log.ChainHeadInterval > TimeSpan.FromDays(1)))
        {
            failures.Add($"KeyInfra:VerificationLog:ChainHeadInterval is {log.ChainHeadInterval}; it must be 00:00:00 (never) or 1 second to 1 day.");
        }

        if (log.SealInterval < TimeSpan.Zero || log.SealInterval > Verification.VerificationLogOptions.MaxSealInterval)
        {
            failures.Add($"KeyInfra:VerificationLog:SealInterval is {log.SealInterval}; it must be 00:00:00 (every group) to 5 minutes: entries wait for their seal that long, and so does a log verify that finds them.");
        }

        var cache = options.KeyCache;
        if (cache.TimeToLive < TimeSpan.Zero || cache.NegativeTimeToLive < TimeSpan.Zero || cache.SigningKeyTimeToLive < TimeSpan.Zero)
        {
            failures.Add("KeyInfra:KeyCache time-to-live values must not be negative.");
        }

        if (cache.MaxEntries < 1)
        {
            failures.Add($"KeyInfra:KeyCache:MaxEntries is {cache.MaxEntries}; it must be at least 1.");
        }

        var certificates = options.Certificates;
        if (certificates.CrlValidity < TimeSpan.FromHours(1) || certificates.CrlValidity > TimeSpan.FromDays(90))
        {
            failures.Add($"KeyInfra:Certificates:CrlValidity is {certificates.CrlValidity}; it must be 1 hour to 90 days.");
        }

        if (certificates.CrlRefreshMargin <= TimeSpan.Zero || certificates.CrlRefreshMargin >= certificates.CrlValidity)
        {
            failures.Add($"KeyInfra:Certificates:CrlRefreshMargin is {certificates.CrlRefreshMargin}; it must be positive and shorter than CrlValidity ({certificates.CrlValidity}), or every CRL would be due at once.");
        }

        if (certificates.CrlSchedule < TimeSpan.Zero || certificates.CrlSchedule > TimeSpan.FromDays(1) || certificates.CrlSchedule >= certificates.CrlRefreshMargin && certificates.CrlSchedule > TimeSpan.Zero)
        {
            failures.Add($"KeyInfra:Certificates:CrlSchedule is {certificates.CrlSchedule}; it must be 0 (never) or positive, at most a day, and shorter than CrlRefreshMargin ({certificates.CrlRefreshMargin}) so a due CRL is published before the last one goes stale.");
        }

        if (certificates.RetentionMonths is < 1 or > 1200)
        {
            failures.Add($"KeyInfra:Certificates:RetentionMonths is {certificates.RetentionMonths}; it must be 1 to 1200.");
        }

        if (options.MaxDocumentSize < 1)
        {
            failures.Add($"KeyInfra:MaxDocumentSize is {options.MaxDocumentSize}; it must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
