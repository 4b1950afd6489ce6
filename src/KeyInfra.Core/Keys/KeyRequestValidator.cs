namespace KeyInfra.Keys;

/// <summary>Checks the free-text parts of key requests, so bad input fails before any work or storage.</summary>
internal static class KeyRequestValidator
{
    public const int MaxNameLength = 200;
    public const int MaxMetadataEntries = 64;
    public const int MaxMetadataKeyLength = 100;
    public const int MaxMetadataValueLength = 1000;

    public static void Name(string? name, string paramName)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            throw new ArgumentException($"A key name is 1–{MaxNameLength} characters and not only white space.", paramName);
        }
    }

    public static void Optional(string? value, string what, string paramName)
    {
        if (value is not null && (string.IsNullOrWhiteSpace(value) || value.Length > MaxNameLength))
        {
            throw new ArgumentException($"{what}, when given, is 1–{MaxNameLength} characters and not only white space.", paramName);
        }
    }

    public static void Metadata(IReadOnlyDictionary<string, string>? metadata, string paramName)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > MaxMetadataEntries)
        {
            throw new ArgumentException($"Key metadata holds at most {MaxMetadataEntries} entries; this has {metadata.Count}.", paramName);
        }

        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrEmpty(key) || key.Length > MaxMetadataKeyLength)
            {
                throw new ArgumentException($"Metadata keys are 1–{MaxMetadataKeyLength} characters.", paramName);
            }

            if (value is null || value.Length > MaxMetadataValueLength)
            {
                throw new ArgumentException($"The metadata value of '{key}' is missing or over {MaxMetadataValueLength} characters.", paramName);
            }
        }
    }

    public const int MaxBackendOptions = 32;

    public static void Backend(string? backend, IReadOnlyDictionary<string, string>? options, string paramName)
    {
        if (string.IsNullOrWhiteSpace(backend) || backend.Length > MaxMetadataKeyLength)
        {
            throw new ArgumentException($"A private-key backend name is 1–{MaxMetadataKeyLength} characters and not only white space.", paramName);
        }

        if (options is null)
        {
            return;
        }

        if (options.Count > MaxBackendOptions)
        {
            throw new ArgumentException($"Backend options hold at most {MaxBackendOptions} entries; these have {options.Count}.", paramName);
        }

        foreach (var (name, value) in options)
        {
            if (string.IsNullOrEmpty(name) || name.Length > MaxMetadataKeyLength || value is null || value.Length > MaxMetadataValueLength)
            {
                throw new ArgumentException($"Backend option names are 1–{MaxMetadataKeyLength} characters and values at most {MaxMetadataValueLength}.", paramName);
            }
        }
    }

    public static void Expiry(DateTimeOffset? expiresAt, DateTimeOffset now, string paramName)
    {
        if (expiresAt is { } expires && expires <= now)
        {
            throw new ArgumentException($"The expiry {expires:O} is not in the future.", paramName);
        }
    }
}
