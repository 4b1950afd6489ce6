namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>master_keys</c>: a master key's id and check value, never the key.</summary>
internal sealed class MasterKeyEntity
{
    public string Id { get; set; } = "";

    public byte[] CheckValue { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}
