namespace KeyInfra.Encryption.Rotation;

/// <summary>Where a re-wrap run is (<see cref="IMasterKeyRotation.RewrapAsync"/>), reported after every few items and at the end of each step.</summary>
/// <param name="Step">The step under way: <see cref="MasterKeyRewrapSteps.PrivateKeys"/>, <see cref="MasterKeyRewrapSteps.KeyRows"/>, or a registered step's name.</param>
/// <param name="StepNumber">The step's place in the run, from 1.</param>
/// <param name="StepCount">How many steps the run has.</param>
/// <param name="Examined">Items of the step examined so far.</param>
/// <param name="Changed">Items of the step brought under the current key so far.</param>
/// <param name="Failed">Items of the step left as they were because they could not be read.</param>
/// <param name="StepFinished">Whether this is the step's last report (its final counts).</param>
/// <param name="Checkpoint">
/// What to resume from if the run stops now: the steps finished so far without a failure (a step that left items behind
/// runs again on resume).
/// </param>
public sealed record MasterKeyRewrapProgress(string Step, int StepNumber, int StepCount, long Examined, long Changed, long Failed, bool StepFinished, MasterKeyRewrapCheckpoint Checkpoint);
