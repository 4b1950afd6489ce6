namespace KeyInfra.Encryption.Rotation;

/// <summary>
/// A package's own data under the master key, brought under the current key by <see cref="IMasterKeyRotation.RewrapAsync"/>
/// after the engine's steps. Register it with <c>TryAddEnumerable(ServiceDescriptor.Singleton&lt;IMasterKeyRewrapStep, …&gt;())</c>.
/// </summary>
/// <remarks>
/// A step must be idempotent (a second run changes nothing), write each item on its own, and never decrypt data it can
/// re-wrap. The counts of what it leaves under older keys must be visible to <see cref="IMasterKeyRotation.GetStatusAsync"/>
/// (through <see cref="Storage.IKeyRepository.CountMasterKeyUsesAsync"/>), or an old key could be retired while needed.
/// </remarks>
public interface IMasterKeyRewrapStep
{
    /// <summary>The step's name in progress and summaries (lowercase words joined by '-', for example <c>hsm-pins</c>).</summary>
    string Name { get; }

    /// <summary>Brings the step's items under the current master key.</summary>
    /// <param name="progress">Receives the counts so far; may be <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the step between items.</param>
    /// <returns>What the step did.</returns>
    Task<MasterKeyRewrapStepResult> RewrapAsync(IProgress<MasterKeyRewrapStepResult>? progress, CancellationToken cancellationToken);
}
