namespace KeyInfra.Sample.Commands;

/// <summary>The demo's HSM part: whether PKCS#11 is configured, the slot used and its keys, or how to set one up.</summary>
internal sealed record DemoHsmResult(bool Configured, string? Slot, IReadOnlyList<DemoHsmKey> Keys, string? HowToSetUp);
