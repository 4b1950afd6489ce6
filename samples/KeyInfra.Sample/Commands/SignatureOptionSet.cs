using System.CommandLine;
using KeyInfra.Sample.Input;
using KeyInfra.Signing;

namespace KeyInfra.Sample.Commands;

/// <summary>The <c>--hash</c>, <c>--encoding</c> and <c>--padding</c> options shared by <c>sign</c> and <c>verify</c>.</summary>
internal sealed class SignatureOptionSet
{
    public Option<string?> Hash { get; } = new("--hash") { Description = "The hash (ECDSA, RSA; default: the key's).", HelpName = "sha256|sha384|sha512" };

    public Option<string?> Encoding { get; } = new("--encoding") { Description = "The ECDSA signature encoding (default: the key's).", HelpName = "p1363|der" };

    public Option<string?> Padding { get; } = new("--padding") { Description = "The RSA padding (default: the key's).", HelpName = "pss|pkcs1" };

    public void AddTo(Command command)
    {
        command.Add(Hash);
        command.Add(Encoding);
        command.Add(Padding);
    }

    /// <summary>The overrides given, or <c>null</c> when none is (the key's defaults apply).</summary>
    public SignatureOptions? Parse(ParseResult parse)
    {
        var hash = parse.GetValue(Hash);
        var encoding = parse.GetValue(Encoding);
        var padding = parse.GetValue(Padding);
        if (hash is null && encoding is null && padding is null)
        {
            return null;
        }

        return new SignatureOptions
        {
            HashAlgorithm = hash is null ? null : InputParser.ParseHash(hash, "--hash"),
            Encoding = encoding is null ? null : InputParser.ParseEnum<SignatureEncoding>(encoding, "--encoding"),
            RsaPadding = padding is null ? null : InputParser.ParseEnum<RsaPadding>(padding, "--padding"),
        };
    }
}
