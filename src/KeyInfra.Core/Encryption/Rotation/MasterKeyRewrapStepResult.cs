namespace KeyInfra.Encryption.Rotation;

/// <summary>What one step of a re-wrap run did (so far, when reported as progress).</summary>
/// <param name="Step">The step's name.</param>
/// <param name="Examined">Items examined.</param>
/// <param name="Changed">Items brought under the current master key.</param>
/// <param name="Failed">Items left as they were because they could not be read or changed; the step's log names each.</param>
public sealed record MasterKeyRewrapStepResult(string Step, long Examined, long Changed, long Failed);
