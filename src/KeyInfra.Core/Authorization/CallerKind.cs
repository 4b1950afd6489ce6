namespace KeyInfra.Authorization;

/// <summary>What kind of principal a <see cref="Caller"/> is; the prefix of its <see cref="Caller.StableId"/>.</summary>
public enum CallerKind
{
    /// <summary>A person, signed in to the host (<c>user:…</c>).</summary>
    User = 1,

    /// <summary>Another application or service calling the host with its own credentials (<c>app:…</c>).</summary>
    Application = 2,

    /// <summary>The host itself: a scheduled job, a migration, an administrator's command line (<c>system:…</c>).</summary>
    System = 3,
}
