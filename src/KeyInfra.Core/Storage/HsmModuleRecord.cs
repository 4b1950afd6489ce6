namespace KeyInfra.Storage;

/// <summary>
/// A PKCS#11 module as stored in <c>hsm_modules</c>: a library on the host that talks to a hardware security module.
/// Modules are global, not owned by a tenant (a library is a thing of the host); tenants' slots name them.
/// </summary>
/// <param name="Id">The module's id (UUIDv7, <see cref="Guid.CreateVersion7()"/>).</param>
/// <param name="Name">The module's name, unique (ordinal, case-sensitive); at most 200 characters.</param>
/// <param name="LibraryPath">The path of the PKCS#11 library (<c>.so</c>, <c>.dll</c>); at most 4,096 characters.</param>
/// <param name="CreatedAt">When the module was added (UTC).</param>
/// <remarks>
/// <para>Security: <see cref="LibraryPath"/> is not trusted. The database is not trusted, and loading a library runs its
/// code, so a database writer who points a module at a library of their choice must not get it loaded: the PKCS#11
/// package loads only paths the host's own options allow, and refuses any other path it reads here.</para>
/// <para>Immutable.</para>
/// </remarks>
public sealed record HsmModuleRecord(Guid Id, string Name, string LibraryPath, DateTimeOffset CreatedAt);
