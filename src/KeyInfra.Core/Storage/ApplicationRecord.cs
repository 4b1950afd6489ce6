using KeyInfra.Identity;

namespace KeyInfra.Storage;

/// <summary>A registered application (a service that calls the host with its own credentials), as stored in <c>applications</c>.</summary>
/// <remarks>Security: the row carries a MAC over tenant, id, name, status, HSM slot, version and creation time; a row whose MAC fails is never used.</remarks>
public sealed record ApplicationRecord
{
    /// <summary>The application's id (UUIDv7); an application caller's <see cref="Authorization.Caller.Id"/> is its text form.</summary>
    public required Guid Id { get; init; }

    /// <summary>The owning tenant.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>The application's name, unique in the tenant (ordinal); 1–200 characters.</summary>
    public required string Name { get; init; }

    /// <summary>What the application is; at most 200 characters.</summary>
    public string? Description { get; init; }

    /// <summary>The HSM slot (<c>hsm_slots</c>) the application's keys live in by default; <c>null</c> for none.</summary>
    public Guid? HsmSlotId { get; init; }

    /// <summary>Whether the application may act.</summary>
    public required ApplicationStatus Status { get; init; }

    /// <summary>When the application was registered (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the row last changed (UTC).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The row version: 1 when added, one more on every change.</summary>
    public required long Version { get; init; }

    /// <summary>The row's MAC; <c>null</c> only without a master key source.</summary>
    public byte[]? RowMac { get; init; }

    /// <summary>The master key whose identity subkey made <see cref="RowMac"/>.</summary>
    public string? RowMacMasterKeyId { get; init; }

    /// <summary>Names the application.</summary>
    public override string ToString() => $"ApplicationRecord({Id}, tenant {TenantId}, '{Name}', {Status}, version {Version})";
}
