using System.Collections.Concurrent;
using System.Security.Cryptography;
using KeyInfra.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;

namespace KeyInfra.Core.Tests.Cryptography;

/// <summary>
/// One generated key per spec, shared by the tests of this folder (RSA-4096 generation takes seconds).
/// SigningKey.Sign is thread-safe, so sharing across parallel test classes is fine; tests that dispose a
/// key generate their own.
/// </summary>
internal static class TestKeys
{
    private static readonly ConcurrentDictionary<KeySpec, Lazy<SigningKey>> s_keys = new();

    public static SigningKey For(KeySpec spec) =>
        s_keys.GetOrAdd(spec, s => new Lazy<SigningKey>(() => SigningKey.Generate(s))).Value;

    public static SignatureParameters DefaultParameters(KeySpec spec) =>
        new(spec.Algorithm == KeyAlgorithm.EdDsa ? default : spec.DefaultHashAlgorithm, SignatureEncoding.P1363, RsaPadding.Pss);

    public static VerificationKey VerifierFor(KeySpec spec) => VerificationKey.Create(spec, For(spec).ExportSpki());

    public static IEnumerable<object[]> AllSpecNames => KeySpec.All.Select(s => new object[] { s.Name });

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    /// <summary>Left-pads a big-endian hex integer to a field of <paramref name="bytes"/> bytes (RFC 6979 prints P-521 values in 131 digits).</summary>
    public static byte[] HexField(string hex, int bytes) => Hex(hex.PadLeft(bytes * 2, '0'));

    public static byte[] FlipBit(ReadOnlySpan<byte> value, int index, int bit = 0)
    {
        var copy = value.ToArray();
        copy[index] ^= (byte)(1 << bit);
        return copy;
    }

    public static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    public static HashAlgorithmName HashByName(string name) => new(name);
}
