namespace KeyInfra.Pkcs11.Sessions;

/// <summary>How a slot finds its token: by label or by serial number, never by slot id (which a module may renumber).</summary>
/// <param name="Label">The token's label, or <c>null</c>.</param>
/// <param name="Serial">The token's serial number, or <c>null</c>.</param>
internal readonly record struct TokenSelector(string? Label, string? Serial)
{
    public bool Matches(string label, string serial)
        => Label is not null ? string.Equals(Label, label.TrimEnd(' ', '\0'), StringComparison.Ordinal) : string.Equals(Serial, serial.TrimEnd(' ', '\0'), StringComparison.Ordinal);

    public override string ToString() => Label is not null ? $"label '{Label}'" : $"serial '{Serial}'";
}
