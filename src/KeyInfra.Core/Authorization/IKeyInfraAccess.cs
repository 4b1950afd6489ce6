namespace KeyInfra.Authorization;

/// <summary>
/// Asking about an operation from a package's own entry points, the way the engine does: for the current caller
/// (<see cref="ICallerContext"/>) in the current tenant, with the denial logged and the decision recorded in the
/// data-plane audit log. The PKCS#11 package's <c>IHsmManager</c> uses it. Thread-safe; registered as a singleton.
/// </summary>
public interface IKeyInfraAccess
{
    /// <summary>Asks about <paramref name="operation"/> and throws when it is denied.</summary>
    /// <exception cref="Errors.AccessDeniedException">KI5001: the caller may not perform the operation.</exception>
    ValueTask DemandAsync(KeyInfraOperation operation, CancellationToken cancellationToken = default);
}
