using KeyInfra.EntityFrameworkCore.Converters;
using KeyInfra.Verification;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// The values KeyInfra's model stores for its enums, for provider packages that write rows without EF Core (bulk
/// copy). They are part of the schema and never change.
/// </summary>
public static class StoredValues
{
    /// <summary>The text stored in <c>result</c> columns for a verification outcome, such as <c>invalid_signature</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined status.</exception>
    public static string ToText(VerificationStatus status) => StoredText.VerificationStatus.ToText(status);
}
