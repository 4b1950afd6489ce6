namespace KeyInfra.Encryption.Rotation;

/// <summary>What a re-wrap run did (<see cref="IMasterKeyRotation.RewrapAsync"/>).</summary>
public sealed record MasterKeyRewrapSummary
{
    /// <summary>The current master key everything was brought under.</summary>
    public required string MasterKeyId { get; init; }

    /// <summary>The private keys step; <c>null</c> when a resumed run skipped it.</summary>
    public ReencryptionSummary? PrivateKeys { get; init; }

    /// <summary>The key rows step; <c>null</c> when a resumed run skipped it.</summary>
    public RowAuthentication.KeyRowAuthenticationSummary? KeyRows { get; init; }

    /// <summary>The other steps that ran, in order: the verification log's (<see cref="MasterKeyRewrapSteps.LogDigests"/>), then the registered ones.</summary>
    public IReadOnlyList<MasterKeyRewrapStepResult> OtherSteps { get; init; } = [];

    /// <summary>The older keys stored data still names at the end of the run, with what names them.</summary>
    public IReadOnlyList<MasterKeyState> StillUsed { get; init; } = [];

    /// <summary>The checkpoint at the end of the run: every step that finished without a failure.</summary>
    public required MasterKeyRewrapCheckpoint Checkpoint { get; init; }

    /// <summary>Whether the run finished everything: no item failed, and no older key is still named by any stored data.</summary>
    public bool Complete => (PrivateKeys?.Skipped.Count ?? 0) == 0
        && (KeyRows?.Refused ?? 0) == 0 && (KeyRows?.Conflicts ?? 0) == 0
        && OtherSteps.All(s => s.Failed == 0)
        && StillUsed.Count == 0;
}
