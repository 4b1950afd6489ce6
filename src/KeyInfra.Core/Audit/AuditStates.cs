using System.Globalization;
using KeyInfra.Identity;
using KeyInfra.Keys;

namespace KeyInfra.Audit;

/// <summary>
/// The public state of each kind of target as the control-plane log records it, and the changes the engine records.
/// Only what an auditor needs to see: never a hash, a secret, a PIN or key material (a user's state says whether it
/// has a password, not what it is).
/// </summary>
internal static class AuditStates
{
    public static IReadOnlyDictionary<string, string?> Of(KeyInfo key) => Capped(new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["name"] = key.Name,
        ["algorithm"] = key.Spec.Name,
        ["status"] = Lower(key.Status),
        ["owner"] = key.Owner,
        ["ring"] = key.RingName,
        ["ring_version"] = key.RingVersion?.ToString(CultureInfo.InvariantCulture),
        ["has_private_key"] = key.HasPrivateKey ? "true" : "false",
        ["expires_at"] = Time(key.ExpiresAt),
        ["revoked_at"] = Time(key.RevokedAt),
        ["revocation_reason"] = key.RevocationReason is { } reason ? Lower(reason) : null,
    });

    public static IReadOnlyDictionary<string, string?> Of(UserInfo user) => Capped(new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["username"] = user.Username,
        ["email"] = user.Email,
        ["status"] = Lower(user.Status),
        ["application_id"] = user.ApplicationId?.ToString(),
        ["has_password"] = user.HasPassword ? "true" : "false",
        ["roles"] = string.Join(',', user.Roles),
    });

    public static IReadOnlyDictionary<string, string?> Of(ApplicationInfo application) => Capped(new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["name"] = application.Name,
        ["description"] = application.Description,
        ["status"] = Lower(application.Status),
        ["hsm_slot_id"] = application.HsmSlotId?.ToString(),
        ["roles"] = string.Join(',', application.Roles),
    });

    public static IReadOnlyDictionary<string, string?> Of(RoleInfo role) => Capped(new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["name"] = role.Name,
        ["description"] = role.Description,
        ["permissions"] = string.Join(',', role.Permissions),
    });

    public static IReadOnlyDictionary<string, string?> Of(ApplicationCredentialInfo credential) => Capped(new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["application_id"] = credential.ApplicationId.ToString(),
        ["client_id"] = credential.ClientId,
        ["expires_at"] = Time(credential.ExpiresAt),
        ["revoked_at"] = Time(credential.RevokedAt),
    });

    public static AuditChange Key(string action, KeyInfo? before, KeyInfo? after) => new()
    {
        Action = action,
        TargetType = "key",
        TargetId = (after ?? before)?.Id.ToString(),
        Before = before is null ? null : Of(before),
        After = after is null ? null : Of(after),
    };

    public static AuditChange User(string action, UserInfo? before, UserInfo after) => new()
    {
        Action = action,
        TargetType = "user",
        TargetId = after.Id.ToString(),
        Before = before is null ? null : Of(before),
        After = Of(after),
    };

    public static AuditChange Application(string action, ApplicationInfo? before, ApplicationInfo after) => new()
    {
        Action = action,
        TargetType = "application",
        TargetId = after.Id.ToString(),
        Before = before is null ? null : Of(before),
        After = Of(after),
    };

    public static AuditChange Role(string action, RoleInfo? before, RoleInfo after) => new()
    {
        Action = action,
        TargetType = "role",
        TargetId = after.Name,
        Before = before is null ? null : Of(before),
        After = Of(after),
    };

    public static AuditChange Credential(string action, ApplicationCredentialInfo? before, ApplicationCredentialInfo after) => new()
    {
        Action = action,
        TargetType = "application_credential",
        TargetId = after.Id.ToString(),
        Before = before is null ? null : Of(before),
        After = Of(after),
    };

    // The engine's own states never fail validation after the change they record is made: a value over the field limit
    // (a long role list, say) is cut, as the state is for people to read.
    private static Dictionary<string, string?> Capped(Dictionary<string, string?> state)
    {
        foreach (var name in state.Keys.ToList())
        {
            state[name] = AuditText.Storable(state[name], AuditChange.MaxFieldLength);
        }

        return state;
    }

    private static string Lower<T>(T value)
        where T : struct, Enum
        => value.ToString().ToLowerInvariant();

    private static string? Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
