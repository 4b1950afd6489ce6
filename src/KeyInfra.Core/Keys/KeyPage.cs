namespace KeyInfra.Keys;

/// <summary>One page of keys.</summary>
/// <param name="Items">The keys, oldest first.</param>
/// <param name="NextCursor">Pass as <see cref="KeyQuery.After"/> for the next page; <c>null</c> on the last page.</param>
public sealed record KeyPage(IReadOnlyList<KeyInfo> Items, KeyId? NextCursor);
