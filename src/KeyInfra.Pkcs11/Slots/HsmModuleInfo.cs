namespace KeyInfra.Pkcs11.Slots;

/// <summary>A stored PKCS#11 module, as <see cref="IHsmManager"/> lists it.</summary>
/// <param name="Id">The module's id.</param>
/// <param name="Name">The module's name, unique in the database.</param>
/// <param name="LibraryPath">The stored path of its PKCS#11 library.</param>
/// <param name="IsAllowed">Whether this host's <see cref="Pkcs11Options"/> allow loading that path; a module that is not allowed cannot be used here.</param>
/// <param name="CreatedAt">When the module was added (UTC).</param>
public sealed record HsmModuleInfo(Guid Id, string Name, string LibraryPath, bool IsAllowed, DateTimeOffset CreatedAt);
