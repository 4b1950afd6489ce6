using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;

namespace KeyInfra.Core.Tests.Keys;

[TestClass]
public sealed class SignatureParameterResolverTests
{
    private static KeyInfo Key(KeySpec spec) => new()
    {
        Id = KeyId.New(),
        TenantId = Guid.Empty,
        Name = "resolved",
        Spec = spec,
        PublicKeySpki = Array.Empty<byte>(),
        ImportedFormat = KeyFormat.Der,
        Status = KeyStatus.Active,
        HasPrivateKey = true,
        CreatedAt = DateTimeOffset.UnixEpoch,
        DefaultSignatureEncoding = SignatureEncoding.Der,
        DefaultRsaPadding = RsaPadding.Pkcs1,
    };

    [TestMethod]
    public void Resolve_NoOptions_KeyDefaults()
    {
        var parameters = SignatureParameterResolver.Resolve(Key(KeySpec.EcdsaP384), null);

        Assert.AreEqual(HashAlgorithmName.SHA384, parameters.Hash);
        Assert.AreEqual(SignatureEncoding.Der, parameters.Encoding);
        Assert.AreEqual(RsaPadding.Pkcs1, parameters.Padding);
        Assert.IsNull(parameters.PssSaltLength);
    }

    [TestMethod]
    public void Resolve_EveryOptionGiven_OptionsOverTheKeysDefaults()
    {
        var options = new SignatureOptions { HashAlgorithm = HashAlgorithmName.SHA512, Encoding = SignatureEncoding.P1363, RsaPadding = RsaPadding.Pss };

        var parameters = SignatureParameterResolver.Resolve(Key(KeySpec.Rsa2048), options);

        Assert.AreEqual(new SignatureParameters(HashAlgorithmName.SHA512, SignatureEncoding.P1363, RsaPadding.Pss), parameters);
    }
}
