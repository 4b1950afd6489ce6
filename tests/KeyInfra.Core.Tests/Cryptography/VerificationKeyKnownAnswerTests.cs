using System.Security.Cryptography;
using KeyInfra.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using static KeyInfra.Core.Tests.Cryptography.TestKeys;

namespace KeyInfra.Core.Tests.Cryptography;

/// <summary>
/// Known answers for <see cref="VerificationKey"/>: RFC 6979 appendix A.2.5–A.2.7 (ECDSA on P-256/384/521)
/// and Wycheproof (C2SP/wycheproof testvectors_v1: rsa_signature_2048_sha256, rsa_pss_2048_sha256_mgf1_32,
/// rsa_pss_2048_sha256_mgf1_0, rsa_pss_4096_sha512_mgf1_32, ecdsa_secp256k1_sha256).
/// </summary>
[TestClass]
public sealed class VerificationKeyKnownAnswerTests
{
    // RFC 6979 A.2.5 / A.2.6 / A.2.7 public keys (Ux, Uy).
    private const string P256X = "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6";
    private const string P256Y = "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";
    private const string P384X = "EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64DEF8F0EA9055866064A254515480BC13";
    private const string P384Y = "8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1288B231C3AE0D4FE7344FD2533264720";
    private const string P521X = "1894550D0785932E00EAA23B694F213F8C3121F86DC97A04E5A7167DB4E5BCD371123D46E45DB6B5D5370A7F20FB633155D38FFA16D2BD761DCAC474B9A2F5023A4";
    private const string P521Y = "0493101C962CD4D2FDDF782285E64584139C2F91B47F87FF82354D6630F746A28A0DB25741B5B34A828008B22ACC23F924FAAFBD4D33F81EA66956DFEAA2BFDFCF5";

    // Wycheproof rsa_signature_2048_sha256_test.json and rsa_pss_2048_sha256_mgf1_32_test.json share this key (e = 65537).
    internal const string WycheproofRsa2048Spki =
        "30820122300d06092a864886f70d01010105000382010f003082010a0282010100a2b451a07d0aa5f96e455671513550514a8a5b462ebef717094fa1fee82224e637f9746d3f7cafd31878d80325b6ef5a1700f65903b469429e89d6eac8845097b5ab393189db92512ed8a7711a1253facd20f79c15e8247f3d3e42e46e48c98e254a2fe9765313a03eff8f17e1a029397a1fa26a8dce26f490ed81299615d9814c22da610428e09c7d9658594266f5c021d0fceca08d945a12be82de4d1ece6b4c03145b5d3495d4ed5411eb878daf05fd7afc3e09ada0f1126422f590975a1969816f48698bcbba1b4d9cae79d460d8f9f85e7975005d9bc22c4e5ac0f7c1a45d12569a62807d3b9a02e5a530e773066f453d1f5b4c2e9cf7820283f742b9d50203010001";

    // Wycheproof rsa_pss_4096_sha512_mgf1_32_test.json (e = 65537): SHA-512 with a 32-byte salt, not the hash length.
    private const string WycheproofRsa4096Spki =
        "30820222300d06092a864886f70d01010105000382020f003082020a0282020100c9a765c2661b4674cff3480e9a5e462ad0ad2fc9bc6fbef62847b3113d20991f653967971c28252753f5fbacce012c2a8ab592914d269efafa724fa4b920e340930c106f7b36f79cebf0e62e88e0e476888e9f0e22186acdb6c4523a232b65b4ff2cc22dc44f8a559527d79d7cd7dcf3773212f7bb9aa133c31165cc663690bf123d73923c838929ccafee59d6c7095b8d4a74baf2d192c9a4e87c4e12bc58013078b28a7789e82e9f31de1f4d6a2aa6e80632be8e4bdf263e8d49b09416fb19c488c07ad8af722ab79182b23028a71e065d02412a9eebc46d7d8f4e03d79238d8c0cb4a97a9a1200ebb6ec64042ebeccad9567526eeef12c17d94c1049c889970b96e94cc353172a268a49c5e8bee13c15b39dec44f2c7a1aa37a7a0b6f72290acada32b1d8af1fc3dc8a89487ba81347cbeb1350925d30f923958106b49959c871e7c1dba55da0772e362cf8621d78610868b894e16e5dfec96874a93a4cf379b47e7e318ce315066d70ee3938140a60148f205085cef8a7700ca3c53d52a5756a63b3b16f153062b61262a68496210c8be4ef3f9029ca0ea0e3b3a0d5d6d226edbbf44daf8f045dc286ded3c4ec4db6b45347079f33eaf98e3c95b4b60e79ef4a3093feec543703422ba74a118511c2193b54fe8b633866ed2c705ccbc6e7d9d3656809ec3d3356e7400a9648ec37505041e3e31af1c02eefe924a67047d30203010001";

    // Wycheproof ecdsa_secp256k1_sha256_test.json, test groups 1 and 2.
    internal const string WycheproofSecp256k1Spki1 =
        "3056301006072a8648ce3d020106052b8104000a03420004782c8ed17e3b2a783b5464f33b09652a71c678e05ec51e84e2bcfc663a3de963af9acb4280b8c7f7c42f4ef9aba6245ec1ec1712fd38a0fa96418d8cd6aa6152";

    private const string WycheproofSecp256k1Spki2 =
        "3056301006072a8648ce3d020106052b8104000a03420004b838ff44e5bc177bf21189d0766082fc9d843226887fc9760371100b7ee20a6ff0c9d75bfba7b31a6bca1974496eeb56de357071955d83c4b1badaa0b21832e9";

    public static IEnumerable<object[]> Rfc6979Vectors =>
    [
        // A.2.5, P-256
        ["P-256", "SHA256", "sample", "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716", "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"],
        ["P-256", "SHA384", "sample", "0EAFEA039B20E9B42309FB1D89E213057CBF973DC0CFC8F129EDDDC800EF7719", "4861F0491E6998B9455193E34E7B0D284DDD7149A74B95B9261F13ABDE940954"],
        ["P-256", "SHA512", "sample", "8496A60B5E9B47C825488827E0495B0E3FA109EC4568FD3F8D1097678EB97F00", "2362AB1ADBE2B8ADF9CB9EDAB740EA6049C028114F2460F96554F61FAE3302FE"],
        ["P-256", "SHA256", "test", "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367", "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"],
        ["P-256", "SHA384", "test", "83910E8B48BB0C74244EBDF7F07A1C5413D61472BD941EF3920E623FBCCEBEB6", "8DDBEC54CF8CD5874883841D712142A56A8D0F218F5003CB0296B6B509619F2C"],
        ["P-256", "SHA512", "test", "461D93F31B6540894788FD206C07CFA0CC35F46FA3C91816FFF1040AD1581A04", "39AF9F15DE0DB8D97E72719C74820D304CE5226E32DEDAE67519E840D1194E55"],

        // A.2.6, P-384
        ["P-384", "SHA256", "sample",
            "21B13D1E013C7FA1392D03C5F99AF8B30C570C6F98D4EA8E354B63A21D3DAA33BDE1E888E63355D92FA2B3C36D8FB2CD",
            "F3AA443FB107745BF4BD77CB3891674632068A10CA67E3D45DB2266FA7D1FEEBEFDC63ECCD1AC42EC0CB8668A4FA0AB0"],
        ["P-384", "SHA384", "sample",
            "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C81A648152E44ACF96E36DD1E80FABE46",
            "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94FA329C145786E679E7B82C71A38628AC8"],
        ["P-384", "SHA512", "sample",
            "ED0959D5880AB2D869AE7F6C2915C6D60F96507F9CB3E047C0046861DA4A799CFE30F35CC900056D7C99CD7882433709",
            "512C8CCEEE3890A84058CE1E22DBC2198F42323CE8ACA9135329F03C068E5112DC7CC3EF3446DEFCEB01A45C2667FDD5"],
        ["P-384", "SHA256", "test",
            "6D6DEFAC9AB64DABAFE36C6BF510352A4CC27001263638E5B16D9BB51D451559F918EEDAF2293BE5B475CC8F0188636B",
            "2D46F3BECBCC523D5F1A1256BF0C9B024D879BA9E838144C8BA6BAEB4B53B47D51AB373F9845C0514EEFB14024787265"],
        ["P-384", "SHA384", "test",
            "8203B63D3C853E8D77227FB377BCF7B7B772E97892A80F36AB775D509D7A5FEB0542A7F0812998DA8F1DD3CA3CF023DB",
            "DDD0760448D42D8A43AF45AF836FCE4DE8BE06B485E9B61B827C2F13173923E06A739F040649A667BF3B828246BAA5A5"],
        ["P-384", "SHA512", "test",
            "A0D5D090C9980FAF3C2CE57B7AE951D31977DD11C775D314AF55F76C676447D06FB6495CD21B4B6E340FC236584FB277",
            "976984E59B4C77B0E8E4460DCA3D9F20E07B9BB1F63BEEFAF576F6B2E8B224634A2092CD3792E0159AD9CEE37659C736"],

        // A.2.7, P-521 (the RFC prints 131 hex digits; HexField pads to 66 bytes)
        ["P-521", "SHA256", "sample",
            "1511BB4D675114FE266FC4372B87682BAECC01D3CC62CF2303C92B3526012659D16876E25C7C1E57648F23B73564D67F61C6F14D527D54972810421E7D87589E1A7",
            "04A171143A83163D6DF460AAF61522695F207A58B95C0644D87E52AA1A347916E4F7A72930B1BC06DBE22CE3F58264AFD23704CBB63B29B931F7DE6C9D949A7ECFC"],
        ["P-521", "SHA384", "sample",
            "1EA842A0E17D2DE4F92C15315C63DDF72685C18195C2BB95E572B9C5136CA4B4B576AD712A52BE9730627D16054BA40CC0B8D3FF035B12AE75168397F5D50C67451",
            "1F21A3CEE066E1961025FB048BD5FE2B7924D0CD797BABE0A83B66F1E35EEAF5FDE143FA85DC394A7DEE766523393784484BDF3E00114A1C857CDE1AA203DB65D61"],
        ["P-521", "SHA512", "sample",
            "0C328FAFCBD79DD77850370C46325D987CB525569FB63C5D3BC53950E6D4C5F174E25A1EE9017B5D450606ADD152B534931D7D4E8455CC91F9B15BF05EC36E377FA",
            "0617CCE7CF5064806C467F678D3B4080D6F1CC50AF26CA209417308281B68AF282623EAA63E5B5C0723D8B8C37FF0777B1A20F8CCB1DCCC43997F1EE0E44DA4A67A"],
        ["P-521", "SHA256", "test",
            "00E871C4A14F993C6C7369501900C4BC1E9C7B0B4BA44E04868B30B41D8071042EB28C4C250411D0CE08CD197E4188EA4876F279F90B3D8D74A3C76E6F1E4656AA8",
            "0CD52DBAA33B063C3A6CD8058A1FB0A46A4754B034FCC644766CA14DA8CA5CA9FDE00E88C1AD60CCBA759025299079D7A427EC3CC5B619BFBC828E7769BCD694E86"],
        ["P-521", "SHA384", "test",
            "14BEE21A18B6D8B3C93FAB08D43E739707953244FDBE924FA926D76669E7AC8C89DF62ED8975C2D8397A65A49DCC09F6B0AC62272741924D479354D74FF6075578C",
            "133330865C067A0EAF72362A65E2D7BC4E461E8C8995C3B6226A21BD1AA78F0ED94FE536A0DCA35534F0CD1510C41525D163FE9D74D134881E35141ED5E8E95B979"],
        ["P-521", "SHA512", "test",
            "13E99020ABF5CEE7525D16B69B229652AB6BDF2AFFCAEF38773B4B7D08725F10CDB93482FDCC54EDCEE91ECA4166B2A7C6265EF0CE2BD7051B7CEF945BABD47EE6D",
            "1FBD0013C674AA79CB39849527916CE301C66EA7CE8B80682786AD60F98F7E78A19CA69EFF5C57400E3B3A0AD66CE0978214D13BAF4E9AC60752F7B155E2DE4DCE3"],
    ];

    [TestMethod]
    [DynamicData(nameof(Rfc6979Vectors))]
    public void Verify_Rfc6979Signature_ValidAndOneFlippedBitInvalid(string curve, string hash, string message, string r, string s)
    {
        // Arrange
        var (spec, x, y) = curve switch
        {
            "P-256" => (KeySpec.EcdsaP256, P256X, P256Y),
            "P-384" => (KeySpec.EcdsaP384, P384X, P384Y),
            _ => (KeySpec.EcdsaP521, P521X, P521Y),
        };
        var fieldBytes = (spec.KeySizeBits + 7) / 8;
        var point = new byte[1 + (2 * fieldBytes)];
        point[0] = 0x04;
        HexField(x, fieldBytes).CopyTo(point, 1);
        HexField(y, fieldBytes).CopyTo(point, 1 + fieldBytes);
        var spki = PublicKeyCodec.Decode(point, KeyFormat.Raw, spec).Spki;
        using var key = VerificationKey.Create(spec, spki);
        var signature = HexField(r, fieldBytes).Concat(HexField(s, fieldBytes)).ToArray();
        var parameters = new SignatureParameters(HashByName(hash), SignatureEncoding.P1363, default);
        var data = Utf8(message);

        // Act
        var valid = key.Verify(data, inputIsHash: false, signature, parameters);
        var flippedSignature = key.Verify(data, inputIsHash: false, FlipBit(signature, signature.Length - 1), parameters);
        var flippedData = key.Verify(FlipBit(data, 0), inputIsHash: false, signature, parameters);

        // Assert
        Assert.AreEqual(VerificationStatus.Valid, valid);
        Assert.AreEqual(VerificationStatus.InvalidSignature, flippedSignature);
        Assert.AreEqual(VerificationStatus.InvalidSignature, flippedData);
    }

    [TestMethod]
    [DataRow("", "840f5dac53106dd1f9c57219224cf51289290c42f20466875ba8e830ac5690e541536fcc8ab03b731f82bf66d83f194e7e180b3963ec7a2f3f7904a7ce49aed47da4d4b79421eaf937d301b3e696169297b797c32c076a12be4de0b58e003c5123051a84a10c62f8dac2f42a8640008eb3c7cccd6760ff5b51b689763922582845f048fb8150e5a7a6ca2eccc7bdc85349ad5b26c52137a79fa3fe5c29ab5cd7615013219c1941b6708e9c3c23feff5febaf0c8ebca5750b54e3e6e99a3e876b396f27860b7f3ec4e9191703c6332d944f6f69751167680c79c4f6b57f1cc8755d24b6ec158ccdbacdb23107a33cb6b332516c13274d1f9dccc21dced869e486", DisplayName = "tcId 1")]
    [DataRow("54657374", "264491e844c119f14e425c03282139a558dcdaeb82a4628173cd407fd319f9076eaebc0dd87a1c22e4d17839096886d58a9d5b7f7aeb63efec56c45ac7bead4203b6886e1faa90e028ec0ae094d46bf3f97efdd19045cfbc25a1abda2432639f9876405c0d68f8edbf047c12a454f7681d5d5a2b54bd3723d193dbad4338baad753264006e2d08931c4b8bb79aa1c9cad10eb6605f87c5831f6e2b08e002f9c6f21141f5841d92727dd3e1d99c36bc560da3c9067df99fcaf818941f72588be33032bad22caf6704223bb114d575b6d02d9d222b580005d930e8f40cce9f672eebb634a20177d84351627964b83f2053d736a84ab1a005f63bd5ba943de6205c", DisplayName = "tcId 3")]
    public void Verify_WycheproofRsaPkcs1Valid_ValidAndWrongPaddingInvalid(string message, string signature)
    {
        // Arrange
        using var key = VerificationKey.Create(KeySpec.Rsa2048, Hex(WycheproofRsa2048Spki));
        var pkcs1 = new SignatureParameters(HashAlgorithmName.SHA256, SignatureEncoding.P1363, RsaPadding.Pkcs1);
        var pss = pkcs1 with { Padding = RsaPadding.Pss };

        // Act
        var asPkcs1 = key.Verify(Hex(message), inputIsHash: false, Hex(signature), pkcs1);
        var asPss = key.Verify(Hex(message), inputIsHash: false, Hex(signature), pss);
        var hashed = key.Verify(SHA256.HashData(Hex(message)), inputIsHash: true, Hex(signature), pkcs1);

        // Assert
        Assert.AreEqual(VerificationStatus.Valid, asPkcs1);
        Assert.AreEqual(VerificationStatus.InvalidSignature, asPss);
        Assert.AreEqual(VerificationStatus.Valid, hashed);
    }

    [TestMethod]
    public void Verify_WycheproofRsaPkcs1BerEncodedPadding_InvalidSignature()
    {
        // Arrange: tcId 9, "length of digestInfo uses long form encoding" (CVE-2006-4339 class).
        using var key = VerificationKey.Create(KeySpec.Rsa2048, Hex(WycheproofRsa2048Spki));
        var signature = Hex("8a0e82d4f334aca72a718b6f8f643f69c6048d619d5eba71263a5d2d3ac7a7af133b780c7595ca2c982c006e861948f543cd0210c758691f9626842c25de2843ea314ca8eff285d47e0cffa54180af416004017034962a80a5959c3d3f1bfc154a4824462a93c014f6dfe920824f414a6e30e0e5944d480b99949ec7bf64c4a7461575933b17d7d6b0178b5192392ace3ed8469e8ac1dacae51ad5d3ad73dcb213e056d04596e64d8c0703def3110c7cecc93ba8ac8059f0f3d66b89d8712c62b41d407e4b4a104f4569558b0290c213cad6d0653898b9df8f4a453ab07d13bfb7598d505abbd0c4987e4f1ac66e1a523e113e370ab7cf990f0cc63f50f4f0a4");

        // Act
        var status = key.Verify(Hex("313233343030"), inputIsHash: false, signature, new SignatureParameters(HashAlgorithmName.SHA256, SignatureEncoding.P1363, RsaPadding.Pkcs1));

        // Assert
        Assert.AreEqual(VerificationStatus.InvalidSignature, status);
    }

    [TestMethod]
    [DataRow("", "4f01e0c12b08625ecac89a69231906edf826380f37c959a96690d046316d68ffce9d5c471694fcebfc6b45534864689256e4fc81c78e583f675d0c94b449647451e81beff01a11a516d5e5ce3f1a910437cb8a3a5096b19fb15f4524a35b23d89cdba12cf5b71aac1047b28c562df7c5542c34ce23a182cf7e0e231934b17294799d44877a1d68ef1b8f073619b7618e6b7c22db20030d98cf591ffc3d4da5f58613ecd5ecfc3b40a1d02f40891ca43695cd4c088b05a8054c89c595a47e274816f35384226f74459ee63e25a1bfc03c360490552ec38343f8ace502f065303b00bc0ec320711b211fde92e57feb9013c3609342495ec0d7cabdec21e54acc38", DisplayName = "tcId 1")]
    [DataRow("54657374", "401eb03cdb47ca88033e3030f6bdecbac8f5c8fc1dd6a13d23d379ed9a2b309891d13d74fea9d21d159b9e6d8f37efa2489962e24555f56dd434ff1d31ce4f9f5abd3f22cbea8b691d6a11e44efb83e2bca155e6a164325e0fde2a8865afd5c9f51161a9d615f62af7ec2e31b3e5ab649c164490d31d88cfae35b84aea7925690f929a144b6d2f48e8fb894a52deecd1b9a6496990c4ecf1588699a42cacd10c53af350514e4291ea9a058e77f101e32c1c0cefa61d945f7bc931f8bd19e7ba3169358a60e5a8b0123bc3199b9fdcafe8e519c41ba675491a27b85e44ef2d77277c10fe107293c8290186913bc9a99b640d8da041b64f31eab1d35920985f4a5", DisplayName = "tcId 3")]
    public void Verify_WycheproofRsaPssSha256Salt32_ValidAndTamperedInvalid(string message, string signature)
    {
        // Arrange
        using var key = VerificationKey.Create(KeySpec.Rsa2048, Hex(WycheproofRsa2048Spki));
        var pss = new SignatureParameters(HashAlgorithmName.SHA256, SignatureEncoding.P1363, RsaPadding.Pss);
        var sig = Hex(signature);

        // Act
        var valid = key.Verify(Hex(message), inputIsHash: false, sig, pss);
        var tampered = key.Verify(Hex(message), inputIsHash: false, FlipBit(sig, 100), pss);
        var asPkcs1 = key.Verify(Hex(message), inputIsHash: false, sig, pss with { Padding = RsaPadding.Pkcs1 });

        // Assert
        Assert.AreEqual(VerificationStatus.Valid, valid);
        Assert.AreEqual(VerificationStatus.InvalidSignature, tampered);
        Assert.AreEqual(VerificationStatus.InvalidSignature, asPkcs1);
    }

    [TestMethod]
    [DataRow(1, "", "3046022100f80ae4f96cdbc9d853f83d47aae225bf407d51c56b7776cd67d0dc195d99a9dc022100b303e26be1f73465315221f0b331528807a1a9b6eb068ede6eebeaaa49af8a36", DisplayName = "tcId 1")]
    [DataRow(1, "4d7367", "30450220109cd8ae0374358984a8249c0a843628f2835ffad1df1a9a69aa2fe72355545c022100ac6f00daf53bd8b1e34da329359b6e08019c5b037fed79ee383ae39f85a159c6", DisplayName = "tcId 2")]
    [DataRow(1, "313233343030", "3045022100d035ee1f17fdb0b2681b163e33c359932659990af77dca632012b30b27a057b302201939d9f3b2858bc13e3474cb50e6a82be44faa71940f876c1cba4c3e989202b6", DisplayName = "tcId 3")]
    [DataRow(1, "0000000000000000000000000000000000000000", "304402204f053f563ad34b74fd8c9934ce59e79c2eb8e6eca0fef5b323ca67d5ac7ed23802204d4b05daa0719e773d8617dce5631c5fd6f59c9bdc748e4b55c970040af01be5", DisplayName = "tcId 4")]
    [DataRow(2, "313233343030", "3046022100813ef79ccefa9a56f7ba805f0e478584fe5f0dd5f567bc09b5123ccbc9832365022100900e75ad233fcc908509dbff5922647db37c21f4afd3203ae8dc4ae7794b0f87", DisplayName = "tcId 5 (high s)")]
    [DataRow(2, "313233343030", "3045022100813ef79ccefa9a56f7ba805f0e478584fe5f0dd5f567bc09b5123ccbc983236502206ff18a52dcc0336f7af62400a6dd9b810732baf1ff758000d6f613a556eb31ba", DisplayName = "tcId 7")]
    public void Verify_WycheproofSecp256k1ValidDer_Valid(int group, string message, string signature)
    {
        // Arrange
        using var key = VerificationKey.Create(KeySpec.EcdsaSecp256k1, Hex(group == 1 ? WycheproofSecp256k1Spki1 : WycheproofSecp256k1Spki2));
        var der = new SignatureParameters(HashAlgorithmName.SHA256, SignatureEncoding.Der, default);

        // Act
        var status = key.Verify(Hex(message), inputIsHash: false, Hex(signature), der);

        // Assert
        Assert.AreEqual(VerificationStatus.Valid, status);
    }

    [TestMethod]
    [DataRow("30440220813ef79ccefa9a56f7ba805f0e478584fe5f0dd5f567bc09b5123ccbc983236502206ff18a52dcc0336f7af62400a6dd9b810732baf1ff758000d6f613a556eb31ba", DisplayName = "tcId 6: r misses its leading zero (negative)")]
    [DataRow("308145022100813ef79ccefa9a56f7ba805f0e478584fe5f0dd5f567bc09b5123ccbc983236502206ff18a52dcc0336f7af62400a6dd9b810732baf1ff758000d6f613a556eb31ba", DisplayName = "tcId 8: long-form sequence length")]
    [DataRow("30820045022100813ef79ccefa9a56f7ba805f0e478584fe5f0dd5f567bc09b5123ccbc983236502206ff18a52dcc0336f7af62400a6dd9b810732baf1ff758000d6f613a556eb31ba", DisplayName = "tcId 9: length with a leading zero")]
    [DataRow("3046022100813ef79ccefa9a56f7ba805f0e478584fe5f0dd5f567bc09b5123ccbc983236502206ff18a52dcc0336f7af62400a6dd9b810732baf1ff758000d6f613a556eb31ba", DisplayName = "tcId 10: length 70 instead of 69")]
    [DataRow("3044022100813ef79ccefa9a56f7ba805f0e478584fe5f0dd5f567bc09b5123ccbc983236502206ff18a52dcc0336f7af62400a6dd9b810732baf1ff758000d6f613a556eb31ba", DisplayName = "tcId 11: length 68 instead of 69")]
    [DataRow("30850100000045022100813ef79ccefa9a56f7ba805f0e478584fe5f0dd5f567bc09b5123ccbc983236502206ff18a52dcc0336f7af62400a6dd9b810732baf1ff758000d6f613a556eb31ba", DisplayName = "tcId 12: uint32 overflow in length")]
    [DataRow("30847fffffff022100813ef79ccefa9a56f7ba805f0e478584fe5f0dd5f567bc09b5123ccbc983236502206ff18a52dcc0336f7af62400a6dd9b810732baf1ff758000d6f613a556eb31ba", DisplayName = "tcId 14: length 2^31-1")]
    [DataRow("3088ffffffffffffffff022100813ef79ccefa9a56f7ba805f0e478584fe5f0dd5f567bc09b5123ccbc983236502206ff18a52dcc0336f7af62400a6dd9b810732baf1ff758000d6f613a556eb31ba", DisplayName = "tcId 18: length 2^64-1")]
    public void Verify_WycheproofSecp256k1BerOrInvalidEncoding_MalformedSignature(string signature)
    {
        // Arrange
        using var key = VerificationKey.Create(KeySpec.EcdsaSecp256k1, Hex(WycheproofSecp256k1Spki2));
        var der = new SignatureParameters(HashAlgorithmName.SHA256, SignatureEncoding.Der, default);

        // Act
        var status = key.Verify(Hex("313233343030"), inputIsHash: false, Hex(signature), der);

        // Assert
        Assert.AreEqual(VerificationStatus.MalformedSignature, status);
    }

    [TestMethod]
    [DataRow("", "20081f8894a1330c4d503f642880e3c30e398fc6235c24f1be752e2d49cd9493ac0cf999e275c4f89ff08f0d9ba4e264a332525a616d336bd9e822f41ab3f4fae2f48ec66c2e52642ed93b7cb944396fbaa727cbfdfc1f20aace99a6f2a74475c338f8d9f22a38cb5bc51752076503b3aef1e65e5a8f8583d9ae7378ded038cf516898ad06beb90a42b85764526fcea44f74258fa4efb1da253d337f65619181ceb832dfe285ce78ae6b15f204e23bab274e87445d9f5df97f41dc8e3a97736b62591d075744b2552f90bcf1b1393e1e7627ef1f985f2bbabd52e43a35d0ddf4c67126e391f922ef7b1bb1911cd6e1b303cb2910dd70672bbfb62ea4eaad725c", DisplayName = "tcId 1")]
    [DataRow("54657374", "2b3155b14971f79c9e3294723c7e41ded41af709f6edb2c19f3526584aaa1ef2de2e7a8dcaf5d7c3239f604c421656dc58e8b0852f7a65cd557724a9b2a17cac38d8020e939bfefec5dce0d8993e75615b974944e4c4a811e40db63f13d2b626bf26257a706a7bedc863d0100b676ab70d4a4f6eaf4692e0b69ee4426cfe7cfc3e92d93bb804569883cf31fb282efa5a81ce9f6d9f0ed79251ef2a0b596f80e0eb96ede67e30457a07655d777928b898ed1679046673e489d9c6305dee05abfdeba7357099f9cffd00735165ddc39aa7355b10a8b8612dfa2f836fb9f5f89f1407365d6b39a39e89c6647ff9da5fc6f960306686a8ed8e2ce12cc7fd9870d576", DisplayName = "tcId 3")]
    public void Verify_WycheproofRsaPssSha256Salt0_ValidOnlyWithSalt0(string message, string signature)
    {
        // Arrange
        using var key = VerificationKey.Create(KeySpec.Rsa2048, Hex(WycheproofRsa2048Spki));
        var salt0 = new SignatureParameters(HashAlgorithmName.SHA256, SignatureEncoding.P1363, RsaPadding.Pss) { PssSaltLength = 0 };
        var sig = Hex(signature);

        // Act
        var valid = key.Verify(Hex(message), inputIsHash: false, sig, salt0);
        var hashed = key.Verify(SHA256.HashData(Hex(message)), inputIsHash: true, sig, salt0);
        var tampered = key.Verify(Hex(message), inputIsHash: false, FlipBit(sig, 100), salt0);
        var defaultSalt = key.Verify(Hex(message), inputIsHash: false, sig, salt0 with { PssSaltLength = null });
        var detail = key.Diagnose(Hex(message), inputIsHash: false, sig, salt0 with { PssSaltLength = null }, defaultSalt);

        // Assert
        Assert.AreEqual(VerificationStatus.Valid, valid);
        Assert.AreEqual(VerificationStatus.Valid, hashed);
        Assert.AreEqual(VerificationStatus.InvalidSignature, tampered);
        Assert.AreEqual(VerificationStatus.InvalidSignature, defaultSalt);
        Assert.AreEqual("PSS with a 32-byte salt expected; the signature verifies with a 0-byte salt (PssSaltLength).", detail);
    }

    [TestMethod]
    [DataRow("09a166092799e0dcc9b4e758223012162cc0d8560b77833412c1bd37c8b0ee5260fd79e25a5dd1fa6a78134b26c85b4643f8992a933990f1505d0309bdea2bc41418e32f9966163730d805fa688e93f3aa5a8f01dc1095556b612218932ee15f72cb6033d3cdfb44d67fe53abf255180a521f7d5392c3b0ea864c4daed26ce9003f1b62cfa8333ca201a5ab3b78958a4b706a45763152e2b7b7006991ea80a7f06aa1b7ed23e72a9ea0f4d987588189124647318bee2a7f0a420a21d5c7763b50d2f1ffc6a3d692c840fe6004707a9990c29bb0e069b03702a8d25f4d4f54b9568a7ff96d078d9c2ad9b51b625b968893c66b92d96031d4a10a95b98bbcdeaeb", DisplayName = "tcId 70: s_len changed to 222")]
    [DataRow("90c3cb3331e8b352c37db46283a1a66b647ecca43e3461ce1afc49d6230457341a52b558496ff83053175a7bfb4755a1bef0e65f470d6139eaaa28cc1c083905859c1475868ceb1e3829437f64a7ad757c9da3b6e8443e8f981f5c0724c5909bd4ebcfa65eea4e4f7af5222dba64a51228759c69e26c44d9a528d75a5b96855253da88f9b54744b1a8b02328394c452e62ef75cd69f7def67b80e4859ba3e73b08a2a3ff931f44d1d524320a33416bf4fc744847d12e3e973cb870fdc3ac1bdbacb677bcc63f927366f4d0d61ee3bc0d1a1b3d149672c6398f3409fe9e7c7c0a150571573b87889b4f23ef49b6f5984412642e5b0abe7f5ec4b4cf12c46a38f4", DisplayName = "tcId 74: first byte of hash h modified")]
    public void Verify_WycheproofRsaPssSalt0ModifiedPadding_InvalidSignature(string signature)
    {
        // Arrange
        using var key = VerificationKey.Create(KeySpec.Rsa2048, Hex(WycheproofRsa2048Spki));
        var salt0 = new SignatureParameters(HashAlgorithmName.SHA256, SignatureEncoding.P1363, RsaPadding.Pss) { PssSaltLength = 0 };

        // Act
        var status = key.Verify(Hex("313233343030"), inputIsHash: false, Hex(signature), salt0);

        // Assert
        Assert.AreEqual(VerificationStatus.InvalidSignature, status);
    }

    [TestMethod]
    [DataRow("", "8d4444ab233739c9d1441e99cb4f71581ed78fb996ba1257fffcd9e3c74ff60d6be352f002f959ff66bc6ed0c987a070097e5d57d8bd89b4452a9d2ca121eb6a283e8d0ef6f5f67875b6cbb8f04e6d242900d73d5bd7b59de4b9466ccbe53874ed422610e411fe3e026f47e47b8686b9c891c7226b4ca560a840e1734eb4f6fe877e559c9a9299dbbcaeebaf7eecfce6fe43ffbc483514fa3aabd6959e5aaa3977e23a9f97edf406d396e96c3c830164b10abc680bbaa6d99d19765d7c7e77946ef6ae240b5fef0249e7062792b15c8f9157da95971afb315c9c015c74a2e79ea2d0cc46992704872c340781f052b4b2cb5ded8f5cadd9b5e3edce128ef2354bd0411074d6515251f5231453bd530222f730ec736a86f721744267ba52652289ff6a207a5a7c45c20ec451948d6bd7b10f1af7282afed9f5df43e4a0d0f2e8fc6d3dd3130d4ff6fbc11f0ea460089856df29d1b7b111095754a7de9bc03029c6c397b6994674775fd29cd22ffb03dcd90c51096b18a6c174f2b48d50e94856f5a22adae64915d69c5528dac0345017c24e8aba401c6e9a0a268057a0fea237dbf0c88906796eea0d1bc3c2347cfcd812217e26015825e9f0fac404c22c26272443ccaf30b294c7c467497ee561a2a5f6d219973cffde9aed8e4486faa3de3d17405445e2f78a768dcac1efd01596486c2495f5bb1f830a4984041e03a7bcd77a", DisplayName = "tcId 1")]
    [DataRow("54657374", "7c838ba65f923660aa4ac47465eb1df4df51d6fa2be26389757de8c6dfc7746aa5164d909b69b7c04758d256e13e3520e77e75b4094d8b0d60da0030b9c991969f6e892ff03ffba9b9f95ca991a279e7cded611a2879e6e6602f411a122c8d11cd333de5d2f7f367e38ee0491380e8796e113487ec7bc05ec1b1261aff871ef82cdd12f4e3d8f239cd49b2f53d57255dfe6ef29038831cdebe9cb1a76dc9ed79578e129b063724ccb3c7b3269f5dd3d9669a405582255cb56b1efe6d61a376df3a141014c3d660b66f9d1b266b5fd3c5472534df778e6e022a8f5a6cab501dde611e07c0c8eb5718962692e8e3773bfd25f1d3b63a20a251ef0c296f01f4a17814e18dfc029f2ed0ce073e83777cff44471f9348434fcc12b0420bf2de1c9018f0282ee21f09302b178f8c772c8f8962f6a29291c63532e1ae9301e7ac55781876965f425619a92559f33737d5e11b282f9434e27d9b27eb2fb0fce4e3e90ca9eaafef170644b00e512537bd779fd2207ee73020aaec07e6cd44103a14940c9499b013c42440d2f27a3def34f3509cd8631db1cc8633ac15180272c824369e1d3c8a6cdca511748361cb60e022173f95ad06e7c79d59e03934854a9f9827f3593d87c34d3fc44beec58e107d454ce04b55c96effce612aef0e5d55c31e367c9fc0166f2c9d450e86d79323d4da8fb409f97adc7af2ec6772ab290f622fe1fa61", DisplayName = "tcId 3")]
    public void Verify_WycheproofRsaPssSha512Salt32_ValidOnlyWithSalt32(string message, string signature)
    {
        // Arrange
        using var key = VerificationKey.Create(KeySpec.Rsa4096, Hex(WycheproofRsa4096Spki));
        var salt32 = new SignatureParameters(HashAlgorithmName.SHA512, SignatureEncoding.P1363, RsaPadding.Pss) { PssSaltLength = 32 };
        var sig = Hex(signature);

        // Act
        var valid = key.Verify(Hex(message), inputIsHash: false, sig, salt32);
        var tampered = key.Verify(FlipBit(Hex(message + "00"), 0), inputIsHash: false, sig, salt32);
        var hashLengthSalt = key.Verify(Hex(message), inputIsHash: false, sig, salt32 with { PssSaltLength = 64 });
        var asPkcs1 = key.Verify(Hex(message), inputIsHash: false, sig, salt32 with { Padding = RsaPadding.Pkcs1 });

        // Assert
        Assert.AreEqual(VerificationStatus.Valid, valid);
        Assert.AreEqual(VerificationStatus.InvalidSignature, tampered);
        Assert.AreEqual(VerificationStatus.InvalidSignature, hashLengthSalt);
        Assert.AreEqual(VerificationStatus.InvalidSignature, asPkcs1);
    }

    [TestMethod]
    public void Verify_PssSaltThatCannotFitTheModulus_AlgorithmMismatchWithDetail()
    {
        // Arrange: 2048 bits with SHA-512 leave room for 256 − 64 − 2 = 190 salt bytes.
        using var key = VerificationKey.Create(KeySpec.Rsa2048, Hex(WycheproofRsa2048Spki));
        var parameters = new SignatureParameters(HashAlgorithmName.SHA512, SignatureEncoding.P1363, RsaPadding.Pss) { PssSaltLength = 191 };
        var signature = new byte[256];

        // Act
        var status = key.Verify(Utf8("message"), inputIsHash: false, signature, parameters);
        var detail = key.Diagnose(Utf8("message"), inputIsHash: false, signature, parameters, status);
        var fits = key.Verify(Utf8("message"), inputIsHash: false, signature, parameters with { PssSaltLength = 190 });

        // Assert
        Assert.AreEqual(VerificationStatus.AlgorithmMismatch, status);
        Assert.AreEqual("A PSS salt of 191 bytes does not fit rsa-2048 with SHA512: at most 190 bytes.", detail);
        Assert.AreEqual(VerificationStatus.InvalidSignature, fits);
    }
}
