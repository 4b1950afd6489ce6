using System.Security.Cryptography;
using KeyInfra.Keys;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X9;

namespace KeyInfra.Cryptography;

/// <summary>What KeyInfra needs to know about one ECDSA curve: its OID, field size, JWK name, and the two libraries' curve objects.</summary>
internal sealed class EcCurveInfo
{
    private static readonly EcCurveInfo s_p256 = new(KeySpec.EcdsaP256, Oids.P256, 32, "P-256");
    private static readonly EcCurveInfo s_p384 = new(KeySpec.EcdsaP384, Oids.P384, 48, "P-384");
    private static readonly EcCurveInfo s_p521 = new(KeySpec.EcdsaP521, Oids.P521, 66, "P-521");
    private static readonly EcCurveInfo s_secp256k1 = new(KeySpec.EcdsaSecp256k1, Oids.Secp256k1, 32, "secp256k1");

    private readonly Lazy<X9ECParameters> _bouncyCastleCurve;
    private readonly Lazy<(byte[] Order, byte[] HalfOrder)> _order;

    private EcCurveInfo(KeySpec spec, string oid, int fieldBytes, string jwkName)
    {
        Spec = spec;
        Oid = oid;
        FieldBytes = fieldBytes;
        JwkName = jwkName;
        _bouncyCastleCurve = new Lazy<X9ECParameters>(
            () => ECNamedCurveTable.GetByOid(new DerObjectIdentifier(oid))
                  ?? throw new InvalidOperationException($"BouncyCastle does not know the curve {oid}."),
            LazyThreadSafetyMode.ExecutionAndPublication);
        _order = new Lazy<(byte[], byte[])>(
            () => (Fixed(BouncyCastleCurve.N, fieldBytes), Fixed(BouncyCastleCurve.N.ShiftRight(1), fieldBytes)),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The group order n, big-endian, <see cref="FieldBytes"/> long.</summary>
    public byte[] Order => _order.Value.Order;

    /// <summary>⌊n/2⌋, big-endian, <see cref="FieldBytes"/> long: the largest s of a low-S signature.</summary>
    public byte[] HalfOrder => _order.Value.HalfOrder;

    /// <summary>The key spec of the curve.</summary>
    public KeySpec Spec { get; }

    /// <summary>The namedCurve OID.</summary>
    public string Oid { get; }

    /// <summary>The field element size in bytes: the length of X, of Y, and of r and s in a P1363 signature.</summary>
    public int FieldBytes { get; }

    /// <summary>The JWK <c>crv</c> value (RFC 7518; <c>secp256k1</c> from RFC 8812).</summary>
    public string JwkName { get; }

    /// <summary>The curve as BouncyCastle's X9 parameters, used only to decompress and range-check points.</summary>
    public X9ECParameters BouncyCastleCurve => _bouncyCastleCurve.Value;

    /// <summary>A fresh platform curve object (ECCurve holds a mutable Oid, so it is not shared).</summary>
    public ECCurve CreatePlatformCurve() => ECCurve.CreateFromValue(Oid);

    /// <summary>The curve of an ECDSA key spec.</summary>
    /// <exception cref="ArgumentException">The spec is not ECDSA.</exception>
    public static EcCurveInfo For(KeySpec spec) => spec.Algorithm == KeyAlgorithm.Ecdsa
        ? spec.Curve switch
        {
            KeyCurve.P256 => s_p256,
            KeyCurve.P384 => s_p384,
            KeyCurve.P521 => s_p521,
            KeyCurve.Secp256k1 => s_secp256k1,
            _ => throw new ArgumentException($"{spec} is not an ECDSA curve KeyInfra supports.", nameof(spec)),
        }
        : throw new ArgumentException($"{spec} is not an ECDSA key spec.", nameof(spec));

    private static byte[] Fixed(Org.BouncyCastle.Math.BigInteger value, int length)
    {
        var bytes = value.ToByteArrayUnsigned();
        var result = new byte[length];
        bytes.CopyTo(result, length - bytes.Length);
        return result;
    }

    /// <summary>Finds a supported curve by its namedCurve OID.</summary>
    public static EcCurveInfo? FromOid(string oid) => oid switch
    {
        Oids.P256 => s_p256,
        Oids.P384 => s_p384,
        Oids.P521 => s_p521,
        Oids.Secp256k1 => s_secp256k1,
        _ => null,
    };
}
