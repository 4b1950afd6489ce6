namespace KeyInfra.Keys;

/// <summary>
/// Announces committed key changes beyond this process, for example by publishing them to Redis so that other
/// instances drop their cached copies. Register any number with <c>TryAddEnumerable</c>; <see cref="IKeyStore"/>
/// calls every one after each change it commits.
/// </summary>
/// <remarks>
/// <para>
/// The rule against echoes: a notifier announces only changes this process made. A listener that receives a change
/// from elsewhere (PostgreSQL LISTEN/NOTIFY, a Redis subscription) calls <see cref="IKeyCacheInvalidator"/> only, and
/// the invalidator never calls notifiers, so a change is announced once and never bounces between instances.
/// </para>
/// <para>
/// The change is committed before notifiers run: a notifier that throws is logged and the others still run; the
/// caller's operation succeeds, and other instances fall back to their cache time to live. Implementations are
/// singletons, thread-safe, and should return quickly (queue the publication if it can be slow).
/// </para>
/// </remarks>
public interface IKeyChangeNotifier
{
    /// <summary>Announces one committed change.</summary>
    /// <param name="change">The tenant, key and kind of change.</param>
    /// <param name="cancellationToken">The caller's token; the change is committed either way.</param>
    Task OnKeyChangedAsync(KeyChange change, CancellationToken cancellationToken = default);
}
