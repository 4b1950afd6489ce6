using System.Text.Json;

namespace KeyInfra.Sample.Output;

/// <summary>The command-line spelling of enum values: kebab case (<c>InvalidSignature</c> → <c>invalid-signature</c>).</summary>
internal static class Names
{
    public static string Kebab<T>(T value)
        where T : struct, Enum
        => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
