namespace KeyInfra.Encryption.Rotation;

/// <summary>
/// What a re-wrap step has examined, changed and failed so far, reported to <c>progress</c> every 100 rows examined.
/// Not thread-safe: one step, one pass.
/// </summary>
internal sealed class RewrapStepCounts(string step, IProgress<MasterKeyRewrapStepResult>? progress)
{
    private long _examined;
    private long _changed;
    private long _failed;

    public MasterKeyRewrapStepResult Result => new(step, _examined, _changed, _failed);

    public void Add(bool changed, bool failed)
    {
        _examined++;
        _changed += changed ? 1 : 0;
        _failed += failed ? 1 : 0;
        if (_examined % 100 == 0)
        {
            progress?.Report(Result);
        }
    }
}
