namespace KeyInfra.Encryption.Rotation;

/// <summary>
/// Where a re-wrap run stands: under which current master key it ran and which of its steps it finished. Store the
/// last one reported (it serializes with System.Text.Json) and pass it back in <see cref="MasterKeyRewrapOptions.ResumeFrom"/>
/// to resume after a crash.
/// </summary>
/// <remarks>
/// Within a step nothing needs remembering: every item is written on its own and a resumed step reads, but does not write,
/// what is already under the current key. Steps are named, so a resumed run skips the right ones even if the registered
/// steps changed in between. A checkpoint holds no secret; a forged one can only make a run skip steps, and
/// <see cref="IMasterKeyRotation.GetStatusAsync"/> and <see cref="IMasterKeyRotation.RetireAsync"/> count what still uses each
/// key from the data itself, never from a checkpoint.
/// </remarks>
/// <param name="MasterKeyId">The current master key of the run.</param>
/// <param name="FinishedSteps">The names of the steps (<see cref="MasterKeyRewrapProgress.Step"/>) that finished without a failure.</param>
public sealed record MasterKeyRewrapCheckpoint(string MasterKeyId, IReadOnlyList<string> FinishedSteps);
