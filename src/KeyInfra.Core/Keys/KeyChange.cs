namespace KeyInfra.Keys;

/// <summary>A committed change to a key, as announced to every <see cref="IKeyChangeNotifier"/>.</summary>
/// <param name="TenantId">The tenant that owns the key.</param>
/// <param name="KeyId">The key.</param>
/// <param name="Kind">What happened.</param>
/// <remarks>Holds no key material: safe to publish to other processes and to log.</remarks>
public sealed record KeyChange(Guid TenantId, KeyId KeyId, KeyChangeKind Kind);
