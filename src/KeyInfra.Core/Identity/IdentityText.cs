using KeyInfra.Authorization;

namespace KeyInfra.Identity;

/// <summary>Checks the names and texts of users, roles and applications where they are given.</summary>
internal static class IdentityText
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 320;
    public const int MaxDescriptionLength = 200;
    public const int MaxPageSize = 1000;

    public static void Name(string? value, string what, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        CallerText.Check(value, MaxNameLength, what, paramName);
        if (value.Trim().Length != value.Length)
        {
            throw new ArgumentException($"{what} starts or ends with white space; remove it.", paramName);
        }
    }

    public static void Email(string? value, string paramName)
    {
        if (value is null)
        {
            return;
        }

        CallerText.Check(value, MaxEmailLength, "An e-mail address", paramName);
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1 || value.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("An e-mail address has one '@' with text on both sides and no white space.", paramName);
        }
    }

    public static void Description(string? value, string paramName) => CallerText.Check(value, MaxDescriptionLength, "A description", paramName);

    public static void Role(string? value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (!RolePermissions.IsValidName(value))
        {
            throw new ArgumentException($"'{CallerText.Printable(value)}' is not a role name: 1–64 characters of lowercase letters, digits, '_' and '-'.", paramName);
        }
    }

    public static void PageSize(int pageSize, string paramName)
    {
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(paramName, pageSize, $"The page size is 1–{MaxPageSize}.");
        }
    }
}
