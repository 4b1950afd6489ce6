namespace KeyInfra.Storage;

/// <summary>Which chain digests and checkpoints <see cref="IVerificationLogRepository.ListDigestsAsync"/> reads, by master key.</summary>
public enum LogDigestSelection
{
    /// <summary>Those whose <see cref="Verification.Chain.LogDigest.EffectiveMasterKeyId"/> is not the key: what a re-wrap moves under it.</summary>
    NotUnder = 0,

    /// <summary>Those the key made (<see cref="Verification.Chain.LogDigest.MasterKeyId"/> is the key): what must stay checkable when it is retired.</summary>
    MadeWith = 1,
}
