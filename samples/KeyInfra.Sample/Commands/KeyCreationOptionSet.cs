using System.CommandLine;
using KeyInfra.Keys;
using KeyInfra.Sample.Input;
using KeyInfra.Signing;

namespace KeyInfra.Sample.Commands;

/// <summary>The options shared by <c>keys create</c> and <c>keys adopt</c>: what the new key row says about the key.</summary>
internal sealed class KeyCreationOptionSet
{
    private static readonly string TypeNames = string.Join("|", KeySpec.All.Select(s => s.Name));

    public Option<string> Type { get; } = new("--type") { Description = "The key type.", HelpName = TypeNames, Required = true };

    public Option<string> Name { get; } = new("--name") { Description = "A human-readable name.", Required = true };

    public Option<string?> Ring { get; } = new("--ring") { Description = "Add the key to this ring as its next version." };

    public Option<string?> Owner { get; } = new("--owner") { Description = "Who owns the key (free text)." };

    public Option<string?> Expires { get; } = new("--expires") { Description = "When the key stops verifying (ISO-8601, UTC if no offset).", HelpName = "time" };

    public Option<string?> Encoding { get; } = new("--encoding") { Description = "ECDSA signature encoding (default p1363).", HelpName = "p1363|der" };

    public Option<string?> Padding { get; } = new("--padding") { Description = "RSA padding (default pss).", HelpName = "pss|pkcs1" };

    public void AddTo(Command command)
    {
        command.Add(Type);
        command.Add(Name);
        command.Add(Ring);
        command.Add(Owner);
        command.Add(Expires);
        command.Add(Encoding);
        command.Add(Padding);
    }

    /// <summary>The request these options describe, in the software backend (the caller sets another).</summary>
    public CreateKeyRequest Parse(ParseResult parse)
        => new(InputParser.ParseSpec(parse.GetRequiredValue(Type), "--type"), parse.GetRequiredValue(Name))
        {
            RingName = parse.GetValue(Ring),
            Owner = parse.GetValue(Owner),
            ExpiresAt = parse.GetValue(Expires) is { } e ? InputParser.ParseTimestamp(e, "--expires") : null,
            SignatureEncoding = parse.GetValue(Encoding) is { } enc ? InputParser.ParseEnum<SignatureEncoding>(enc, "--encoding") : SignatureEncoding.P1363,
            RsaPadding = parse.GetValue(Padding) is { } pad ? InputParser.ParseEnum<RsaPadding>(pad, "--padding") : RsaPadding.Pss,
        };
}
