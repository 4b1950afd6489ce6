using KeyInfra.Storage;
using KeyInfra.Verification;

namespace KeyInfra.Tests.Conformance;

/// <summary>The repository's append without chain digests, for tests of storage itself (the log writer always chains).</summary>
internal static class VerificationLogRepositoryExtensions
{
    public static Task AppendAsync(this IVerificationLogRepository repository, IReadOnlyList<VerificationRecord> records, IReadOnlyList<BatchVerificationRecord> batches, CancellationToken cancellationToken = default)
        => repository.AppendAsync(new LogGroup { Records = records, Batches = batches }, cancellationToken);
}
