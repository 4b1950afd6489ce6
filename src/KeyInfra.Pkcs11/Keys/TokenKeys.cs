using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Pkcs11.Errors;
using KeyInfra.Pkcs11.Sessions;
using KeyInfra.Signing;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace KeyInfra.Pkcs11.Keys;

/// <summary>
/// Key pairs in a token: the templates that generate them (in the token, sensitive, never extractable, for signing
/// only), the mechanisms that sign with them, and their public keys as DER SubjectPublicKeyInfo in KeyInfra's canonical
/// form. Runs inside <see cref="TokenSessionPool.RunAsync{T}"/> on a session of the caller's own.
/// </summary>
internal static class TokenKeys
{
    /// <summary>PKCS#11 3.0 <c>CKK_EC_EDWARDS</c>; Pkcs11Interop 5 has no name for it.</summary>
    public const ulong CkkEcEdwards = 0x40;

    /// <summary>PKCS#11 3.0 <c>CKM_EC_EDWARDS_KEY_PAIR_GEN</c>.</summary>
    public const ulong CkmEcEdwardsKeyPairGen = 0x1055;

    /// <summary>PKCS#11 3.0 <c>CKM_EDDSA</c>.</summary>
    public const ulong CkmEddsa = 0x1057;

    private const string Ed25519Oid = "1.3.101.112";

    private static readonly byte[] s_sha256Prefix = Convert.FromHexString("3031300d060960864801650304020105000420");
    private static readonly byte[] s_sha384Prefix = Convert.FromHexString("3041300d060960864801650304020205000430");
    private static readonly byte[] s_sha512Prefix = Convert.FromHexString("3051300d060960864801650304020305000440");

    /// <summary>The PKCS#11 key type (<c>CKA_KEY_TYPE</c>) of the spec's keys.</summary>
    public static ulong KeyType(KeySpec spec) => spec.Algorithm switch
    {
        KeyAlgorithm.Ecdsa => (ulong)CKK.CKK_EC,
        KeyAlgorithm.Rsa => (ulong)CKK.CKK_RSA,
        _ => CkkEcEdwards,
    };

    /// <summary>The key-pair generation mechanism of the spec.</summary>
    public static ulong GenerationMechanism(KeySpec spec) => spec.Algorithm switch
    {
        KeyAlgorithm.Ecdsa => (ulong)CKM.CKM_EC_KEY_PAIR_GEN,
        KeyAlgorithm.Rsa => (ulong)CKM.CKM_RSA_PKCS_KEY_PAIR_GEN,
        _ => CkmEcEdwardsKeyPairGen,
    };

    /// <summary>
    /// The signing mechanisms a key of the spec needs to be usable at all: CKM_ECDSA; CKM_EDDSA; for RSA CKM_RSA_PKCS
    /// (its proof signatures use PKCS#1 v1.5). A token without CKM_RSA_PKCS_PSS still holds RSA keys for PKCS#1 v1.5;
    /// a PSS signature on it fails with KI6011 when asked for.
    /// </summary>
    public static IReadOnlyList<ulong> SigningMechanisms(KeySpec spec) => spec.Algorithm switch
    {
        KeyAlgorithm.Ecdsa => [(ulong)CKM.CKM_ECDSA],
        KeyAlgorithm.Rsa => [(ulong)CKM.CKM_RSA_PKCS],
        _ => [CkmEddsa],
    };

    public static string MechanismName(ulong mechanism) => mechanism switch
    {
        CkmEcEdwardsKeyPairGen => "CKM_EC_EDWARDS_KEY_PAIR_GEN",
        CkmEddsa => "CKM_EDDSA",
        _ => Enum.IsDefined(typeof(CKM), mechanism) ? ((CKM)mechanism).ToString() : $"0x{mechanism:x}",
    };

    /// <summary>Refuses, with KI6011, a token that does not list a mechanism with the function needed.</summary>
    public static void RequireMechanisms(ISlot slot, string pool, KeySpec spec, IEnumerable<ulong> mechanisms, bool generate)
    {
        var offered = slot.GetMechanismList();
        foreach (var mechanism in mechanisms)
        {
            if (!offered.Contains((CKM)mechanism))
            {
                throw new HsmException(Pkcs11ErrorCodes.MechanismNotSupported,
                    $"The token of {pool} does not offer {MechanismName(mechanism)}, which {(generate ? "generating" : "signing with")} a {spec.Name} key needs. Use another key type, or a token (or token configuration) that offers it.",
                    CKR.CKR_MECHANISM_INVALID.ToString());
            }

            var info = slot.GetMechanismInfo((CKM)mechanism);
            var flags = info.MechanismFlags;
            if (generate ? !flags.GenerateKeyPair : !flags.Sign)
            {
                throw new HsmException(Pkcs11ErrorCodes.MechanismNotSupported,
                    $"The token of {pool} lists {MechanismName(mechanism)} but not for {(generate ? "key-pair generation" : "signing")}, which a {spec.Name} key needs.",
                    CKR.CKR_MECHANISM_INVALID.ToString());
            }
        }
    }

    /// <summary>Generates a key pair in the token: token objects, private key sensitive, never extractable, for signing only (no decrypt, unwrap or derive).</summary>
    public static (IObjectHandle Public, IObjectHandle Private) Generate(PooledSession pooled, KeySpec spec, ObjectReference reference)
    {
        var f = pooled.Factories.ObjectAttributeFactory;
        var label = reference.Label;
        List<IObjectAttribute> publicTemplate =
        [
            f.Create(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY),
            f.Create(CKA.CKA_TOKEN, true),
            f.Create(CKA.CKA_PRIVATE, false),
            f.Create(CKA.CKA_VERIFY, true),
            f.Create(CKA.CKA_ENCRYPT, false),
            f.Create(CKA.CKA_WRAP, false),
            f.Create(CKA.CKA_DERIVE, false),
            f.Create(CKA.CKA_ID, reference.Id),
            f.Create(CKA.CKA_LABEL, label),
        ];
        List<IObjectAttribute> privateTemplate =
        [
            f.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
            f.Create(CKA.CKA_TOKEN, true),
            f.Create(CKA.CKA_PRIVATE, true),
            f.Create(CKA.CKA_SENSITIVE, true),
            f.Create(CKA.CKA_EXTRACTABLE, false),
            f.Create(CKA.CKA_SIGN, true),
            f.Create(CKA.CKA_DECRYPT, false),
            f.Create(CKA.CKA_UNWRAP, false),
            f.Create(CKA.CKA_DERIVE, false),
            f.Create(CKA.CKA_ID, reference.Id),
            f.Create(CKA.CKA_LABEL, label),
        ];
        publicTemplate.Add(f.Create(CKA.CKA_KEY_TYPE, KeyType(spec)));
        privateTemplate.Add(f.Create(CKA.CKA_KEY_TYPE, KeyType(spec)));
        if (spec.Algorithm == KeyAlgorithm.Rsa)
        {
            publicTemplate.Add(f.Create(CKA.CKA_MODULUS_BITS, (ulong)spec.KeySizeBits));
            publicTemplate.Add(f.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 1, 0, 1 }));
        }
        else
        {
            publicTemplate.Add(f.Create(CKA.CKA_EC_PARAMS, CurveParameters(spec)));
        }

        var mechanism = pooled.Factories.MechanismFactory.Create(GenerationMechanism(spec));
        pooled.Session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate, out var publicKey, out var privateKey);
        return (publicKey, privateKey);
    }

    /// <summary>The token objects of a class with this id and label (each criterion left out when <c>null</c>).</summary>
    public static List<IObjectHandle> Find(PooledSession pooled, CKO objectClass, byte[]? id, string? label)
    {
        var f = pooled.Factories.ObjectAttributeFactory;
        List<IObjectAttribute> template = [f.Create(CKA.CKA_CLASS, objectClass), f.Create(CKA.CKA_TOKEN, true)];
        if (id is not null)
        {
            template.Add(f.Create(CKA.CKA_ID, id));
        }

        if (label is not null)
        {
            template.Add(f.Create(CKA.CKA_LABEL, label));
        }

        return pooled.Session.FindAllObjects(template);
    }

    /// <summary>The attributes of a private key that decide whether it can be a KeyInfra key of <paramref name="spec"/>.</summary>
    /// <returns>Why it cannot, or <c>null</c> if it can.</returns>
    public static string? CheckPrivateKey(PooledSession pooled, IObjectHandle privateKey, KeySpec spec, bool requireProtected)
    {
        var attributes = pooled.Session.GetAttributeValue(privateKey, [CKA.CKA_KEY_TYPE, CKA.CKA_SIGN, CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE]);
        var keyType = attributes[0].GetValueAsUlong();
        var expected = KeyType(spec);
        if (keyType != expected)
        {
            return $"its key type is 0x{keyType:x}, not the {spec.Name} key type 0x{expected:x}";
        }

        if (!attributes[1].GetValueAsBool())
        {
            return "it is not a signing key (CKA_SIGN is false)";
        }

        if (requireProtected && (!attributes[2].GetValueAsBool() || attributes[3].GetValueAsBool()))
        {
            return "it can leave the token (CKA_SENSITIVE is false or CKA_EXTRACTABLE is true); KeyInfra adopts only keys that never leave it (generate it with pkcs11-tool --sensitive, and not --extractable)";
        }

        if (spec.Algorithm == KeyAlgorithm.Rsa)
        {
            var modulus = pooled.Session.GetAttributeValue(privateKey, [CKA.CKA_MODULUS])[0].GetValueAsByteArray();
            var bits = Unsigned(modulus).Length * 8 - LeadingZeroBits(Unsigned(modulus));
            if (bits != spec.KeySizeBits)
            {
                return $"its modulus is {bits} bits, not {spec.KeySizeBits}";
            }
        }
        else
        {
            var parameters = pooled.Session.GetAttributeValue(privateKey, [CKA.CKA_EC_PARAMS])[0].GetValueAsByteArray();
            if (!IsCurve(spec, parameters))
            {
                return $"its curve (CKA_EC_PARAMS) is not {spec.Name}'s";
            }
        }

        return null;
    }

    /// <summary>
    /// The key pair's public key as KeyInfra's canonical DER SPKI, read from the token: RSA from the private key object
    /// itself (its modulus and exponent), EC and Ed25519 from the public key object with the same id and label; <c>null</c>
    /// when there is no such public object (the caller then relies on the proof signature alone).
    /// </summary>
    public static byte[]? ReadSpki(PooledSession pooled, KeySpec spec, IObjectHandle privateKey, ObjectReference reference)
    {
        if (spec.Algorithm == KeyAlgorithm.Rsa)
        {
            var values = pooled.Session.GetAttributeValue(privateKey, [CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT]);
            return RsaSpki(values[0].GetValueAsByteArray(), values[1].GetValueAsByteArray());
        }

        var publicKeys = Find(pooled, CKO.CKO_PUBLIC_KEY, reference.Id, reference.Label);
        if (publicKeys.Count != 1)
        {
            return null;
        }

        return PointSpki(pooled, spec, publicKeys[0]);
    }

    /// <summary>An EC or Ed25519 public key object's key (<c>CKA_EC_POINT</c>) as KeyInfra's canonical DER SPKI.</summary>
    public static byte[] PointSpki(PooledSession pooled, KeySpec spec, IObjectHandle publicKey)
    {
        var point = pooled.Session.GetAttributeValue(publicKey, [CKA.CKA_EC_POINT])[0].GetValueAsByteArray();
        return spec.Algorithm == KeyAlgorithm.Ecdsa ? EcSpki(spec, point) : Ed25519Spki(point);
    }

    /// <summary>Reads an object's id and label.</summary>
    public static ObjectReference ReferenceOf(PooledSession pooled, IObjectHandle handle)
    {
        var values = pooled.Session.GetAttributeValue(handle, [CKA.CKA_ID, CKA.CKA_LABEL]);
        var id = values[0].GetValueAsByteArray() ?? [];
        var labelBytes = values[1].GetValueAsByteArray() ?? [];
        string label;
        try
        {
            label = new UTF8Encoding(false, true).GetString(labelBytes);
        }
        catch (DecoderFallbackException)
        {
            throw new HsmException(Pkcs11ErrorCodes.KeyObjectUnfit, "The token object's label is not UTF-8; KeyInfra references objects by UTF-8 labels. Adopt it by id only after giving it a UTF-8 label.");
        }

        if (id.Length > ObjectReference.MaxIdLength || labelBytes.Length > ObjectReference.MaxLabelLength || (id.Length == 0 && label.Length == 0))
        {
            throw new HsmException(Pkcs11ErrorCodes.KeyObjectUnfit,
                $"The token object's CKA_ID ({id.Length} bytes) or CKA_LABEL ({labelBytes.Length} bytes) is out of range: KeyInfra references objects by an id of at most {ObjectReference.MaxIdLength} bytes and a label of at most {ObjectReference.MaxLabelLength}, not both empty.");
        }

        return new ObjectReference(id, label);
    }

    /// <summary>What to hand the token, and the mechanism, for one signature.</summary>
    /// <exception cref="ArgumentException">KI3001: the input does not fit (a hash for Ed25519, a hash of the wrong length, an unsupported hash or salt).</exception>
    public static (IMechanism Mechanism, byte[] Input) PrepareSignature(Pkcs11InteropFactories factories, KeySpec spec, ReadOnlySpan<byte> input, bool inputIsHash, SignatureParameters parameters)
    {
        if (spec.Algorithm == KeyAlgorithm.EdDsa)
        {
            if (inputIsHash)
            {
                throw new ArgumentException($"{ErrorCodes.SignRequestInvalid}: Ed25519 signs the message itself, not a hash (pure EdDSA, RFC 8032). Pass the data.", nameof(inputIsHash));
            }

            return (factories.MechanismFactory.Create(CkmEddsa), input.ToArray());
        }

        var hash = Hash(input, inputIsHash, parameters.Hash);
        if (spec.Algorithm == KeyAlgorithm.Ecdsa)
        {
            if (parameters.Encoding is not (SignatureEncoding.P1363 or SignatureEncoding.Der))
            {
                throw new ArgumentException($"{ErrorCodes.SignRequestInvalid}: {parameters.Encoding} is not an ECDSA signature encoding; use P1363 or Der.", nameof(parameters));
            }

            return (factories.MechanismFactory.Create(CKM.CKM_ECDSA), hash);
        }

        switch (parameters.Padding)
        {
            case RsaPadding.Pkcs1:
                var prefix = DigestInfoPrefix(parameters.Hash);
                var digestInfo = new byte[prefix.Length + hash.Length];
                prefix.CopyTo(digestInfo, 0);
                hash.CopyTo(digestInfo, prefix.Length);
                return (factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS), digestInfo);
            case RsaPadding.Pss:
                var salt = parameters.PssSaltLength ?? hash.Length;
                var max = (spec.KeySizeBits - 1 + 7) / 8 - hash.Length - 2;
                if (salt < 0 || salt > max)
                {
                    throw new ArgumentException($"{ErrorCodes.SignRequestInvalid}: A PSS salt of {salt} bytes does not fit {spec.Name} with {parameters.Hash.Name}; use 0 to {max} bytes.", nameof(parameters));
                }

                var (hashMechanism, mgf) = PssHash(parameters.Hash);
                var pss = factories.MechanismParamsFactory.CreateCkRsaPkcsPssParams(hashMechanism, mgf, (ulong)salt);
                return (factories.MechanismFactory.Create(CKM.CKM_RSA_PKCS_PSS, pss), hash);
            default:
                throw new ArgumentException($"{ErrorCodes.SignRequestInvalid}: {parameters.Padding} is not an RSA padding; use Pss or Pkcs1.", nameof(parameters));
        }
    }

    /// <summary>The token's signature in the encoding the parameters ask for (ECDSA: r‖s from the token, DER on request).</summary>
    public static byte[] FinishSignature(KeySpec spec, byte[] signature, SignatureParameters parameters)
    {
        switch (spec.Algorithm)
        {
            case KeyAlgorithm.Ecdsa:
                var fieldBytes = FieldBytes(spec);
                if (signature.Length != 2 * fieldBytes)
                {
                    throw new HsmException(Pkcs11ErrorCodes.OperationFailed, $"The token returned a {signature.Length}-byte ECDSA signature; a {spec.Name} signature is r‖s, {2 * fieldBytes} bytes.");
                }

                return parameters.Encoding == SignatureEncoding.Der ? P1363ToDer(signature) : signature;
            case KeyAlgorithm.Rsa:
                if (signature.Length != spec.KeySizeBits / 8)
                {
                    throw new HsmException(Pkcs11ErrorCodes.OperationFailed, $"The token returned a {signature.Length}-byte RSA signature; a {spec.Name} signature is {spec.KeySizeBits / 8} bytes.");
                }

                return signature;
            default:
                if (signature.Length != 64)
                {
                    throw new HsmException(Pkcs11ErrorCodes.OperationFailed, $"The token returned a {signature.Length}-byte Ed25519 signature; one is 64 bytes.");
                }

                return signature;
        }
    }

    /// <summary>Whether <paramref name="signature"/> (as <see cref="FinishSignature"/> returns it, P1363 or PKCS#1 v1.5) over <paramref name="data"/> verifies under <paramref name="spki"/>.</summary>
    public static bool Verify(KeySpec spec, byte[] spki, byte[] data, byte[] signature, SignatureParameters parameters)
    {
        try
        {
            switch (spec.Algorithm)
            {
                case KeyAlgorithm.Ecdsa:
                {
                    using var ecdsa = ECDsa.Create();
                    ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
                    return ecdsa.VerifyData(data, signature, parameters.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }

                case KeyAlgorithm.Rsa:
                {
                    using var rsa = RSA.Create();
                    rsa.ImportSubjectPublicKeyInfo(spki, out _);
                    return rsa.VerifyData(data, signature, parameters.Hash, RSASignaturePadding.Pkcs1);
                }

                default:
                {
                    var key = NSec.Cryptography.PublicKey.Import(NSec.Cryptography.SignatureAlgorithm.Ed25519, spki, NSec.Cryptography.KeyBlobFormat.PkixPublicKey);
                    return NSec.Cryptography.SignatureAlgorithm.Ed25519.Verify(key, data, signature);
                }
            }
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>CKA_EC_PARAMS of the spec: the curve's DER OID.</summary>
    public static byte[] CurveParameters(KeySpec spec)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(CurveOid(spec));
        return writer.Encode();
    }

    private static byte[] EcSpki(KeySpec spec, byte[]? ecPoint)
    {
        var fieldBytes = FieldBytes(spec);
        var point = UnwrapOctetString(ecPoint, 1 + 2 * fieldBytes);
        if (point is null || point[0] != 0x04)
        {
            throw new HsmException(Pkcs11ErrorCodes.OperationFailed, $"The token's public key (CKA_EC_POINT) is not an uncompressed {spec.Name} point.");
        }

        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.CreateFromValue(CurveOid(spec)),
                Q = new ECPoint { X = point[1..(1 + fieldBytes)], Y = point[(1 + fieldBytes)..] },
            });
            return ecdsa.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException e)
        {
            throw new HsmException(Pkcs11ErrorCodes.OperationFailed, $"The token's public key (CKA_EC_POINT) is not a point on {spec.Name}.", null, e);
        }
    }

    private static byte[] Ed25519Spki(byte[]? ecPoint)
    {
        var key = UnwrapOctetString(ecPoint, 32)
            ?? throw new HsmException(Pkcs11ErrorCodes.OperationFailed, "The token's public key (CKA_EC_POINT) is not a 32-byte Ed25519 key.");
        if (!NSec.Cryptography.PublicKey.TryImport(NSec.Cryptography.SignatureAlgorithm.Ed25519, key, NSec.Cryptography.KeyBlobFormat.RawPublicKey, out var publicKey))
        {
            throw new HsmException(Pkcs11ErrorCodes.OperationFailed, "The token's public key (CKA_EC_POINT) is not an Ed25519 key.");
        }

        return publicKey!.Export(NSec.Cryptography.KeyBlobFormat.PkixPublicKey);
    }

    private static byte[] RsaSpki(byte[]? modulus, byte[]? exponent)
    {
        if (modulus is null || exponent is null || modulus.Length == 0 || exponent.Length == 0)
        {
            throw new HsmException(Pkcs11ErrorCodes.OperationFailed, "The token's RSA key has no readable modulus or public exponent.");
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters { Modulus = Unsigned(modulus).ToArray(), Exponent = Unsigned(exponent).ToArray() });
            return rsa.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException e)
        {
            throw new HsmException(Pkcs11ErrorCodes.OperationFailed, "The token's RSA public key (modulus and exponent) is not one the platform accepts.", null, e);
        }
    }

    // CKA_EC_POINT is a DER OCTET STRING holding the point (PKCS#11); some tokens return the bare point. A wrapped
    // value is always at least two bytes longer than the bare one, so the length tells them apart.
    private static byte[]? UnwrapOctetString(byte[]? value, int expectedLength)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length == expectedLength)
        {
            return value;
        }

        try
        {
            var inner = AsnDecoder.ReadOctetString(value, AsnEncodingRules.DER, out var consumed);
            return consumed == value.Length && inner.Length == expectedLength ? inner : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static bool IsCurve(KeySpec spec, byte[]? parameters)
    {
        if (parameters is null)
        {
            return false;
        }

        if (parameters.AsSpan().SequenceEqual(CurveParameters(spec)))
        {
            return true;
        }

        // SoftHSM2 2.6 and some other tokens also take (and keep) Ed25519's curve as the printable string "edwards25519".
        if (spec.Algorithm == KeyAlgorithm.EdDsa)
        {
            try
            {
                var name = AsnDecoder.ReadCharacterString(parameters, AsnEncodingRules.DER, UniversalTagNumber.PrintableString, out var consumed);
                return consumed == parameters.Length && name == "edwards25519";
            }
            catch (AsnContentException)
            {
                return false;
            }
        }

        return false;
    }

    private static string CurveOid(KeySpec spec) => spec.Curve switch
    {
        KeyCurve.P256 => "1.2.840.10045.3.1.7",
        KeyCurve.P384 => "1.3.132.0.34",
        KeyCurve.P521 => "1.3.132.0.35",
        KeyCurve.Secp256k1 => "1.3.132.0.10",
        KeyCurve.Ed25519 => Ed25519Oid,
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Name, "Not an elliptic-curve key."),
    };

    private static int FieldBytes(KeySpec spec) => (spec.KeySizeBits + 7) / 8;

    private static byte[] Hash(ReadOnlySpan<byte> input, bool inputIsHash, HashAlgorithmName hash)
    {
        var size = hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : hash == HashAlgorithmName.SHA512 ? 64 : 0;
        if (size == 0)
        {
            throw new ArgumentException($"{ErrorCodes.SignRequestInvalid}: The hash algorithm '{hash.Name}' is not supported; use SHA256, SHA384 or SHA512.", nameof(hash));
        }

        if (inputIsHash)
        {
            if (input.Length != size)
            {
                throw new ArgumentException($"{ErrorCodes.SignRequestInvalid}: A {hash.Name} hash is {size} bytes; {input.Length} bytes were given. Pass the hash itself, or the data with inputIsHash false.", nameof(input));
            }

            return input.ToArray();
        }

        return size switch
        {
            32 => SHA256.HashData(input),
            48 => SHA384.HashData(input),
            _ => SHA512.HashData(input),
        };
    }

    private static byte[] DigestInfoPrefix(HashAlgorithmName hash)
        => hash == HashAlgorithmName.SHA256 ? s_sha256Prefix : hash == HashAlgorithmName.SHA384 ? s_sha384Prefix : s_sha512Prefix;

    private static (ulong Hash, ulong Mgf) PssHash(HashAlgorithmName hash)
        => hash == HashAlgorithmName.SHA256 ? ((ulong)CKM.CKM_SHA256, (ulong)CKG.CKG_MGF1_SHA256)
        : hash == HashAlgorithmName.SHA384 ? ((ulong)CKM.CKM_SHA384, (ulong)CKG.CKG_MGF1_SHA384)
        : ((ulong)CKM.CKM_SHA512, (ulong)CKG.CKG_MGF1_SHA512);

    private static byte[] P1363ToDer(byte[] p1363)
    {
        var half = p1363.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Unsigned(p1363.AsSpan(0, half)));
            writer.WriteIntegerUnsigned(Unsigned(p1363.AsSpan(half)));
        }

        return writer.Encode();
    }

    // Minimal big-endian unsigned form (WriteIntegerUnsigned refuses leading zero bytes).
    private static ReadOnlySpan<byte> Unsigned(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }

    private static int LeadingZeroBits(ReadOnlySpan<byte> value)
        => value.IsEmpty ? 0 : System.Numerics.BitOperations.LeadingZeroCount((uint)value[0]) - 24;
}
