using System.Security.Cryptography;
using KeyInfra.Encryption;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KeyInfra.Core.Tests.Encryption;

/// <summary>Builds the real environment key source and encryptor from explicit options (no environment involved).</summary>
internal static class TestMasterKeys
{
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes);

    public static EnvironmentMasterKeyProvider Provider(EnvironmentMasterKeyOptions options)
        => new(Options.Create(options), NullLogger<EnvironmentMasterKeyProvider>.Instance);

    /// <summary>A source whose current key is <paramref name="current"/> with <paramref name="id"/>, and the given previous keys ("id:base64,...").</summary>
    public static EnvironmentMasterKeyProvider Provider(byte[] current, string? id = null, string? previous = null)
        => Provider(new EnvironmentMasterKeyOptions { MasterKey = Convert.ToBase64String(current), MasterKeyId = id, PreviousMasterKeys = previous });

    public static string Previous(string id, byte[] key) => $"{id}:{Convert.ToBase64String(key)}";

    public static EnvelopeEncryptor Encryptor(IEncryptionKeyProvider provider) => new(provider, NullLogger<EnvelopeEncryptor>.Instance);
}
