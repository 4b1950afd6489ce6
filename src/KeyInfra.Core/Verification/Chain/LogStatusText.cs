namespace KeyInfra.Verification.Chain;

/// <summary>
/// The text every provider stores in a <c>result</c> column for a <see cref="VerificationStatus"/>
/// (<c>invalid_signature</c>). Part of the schema and of the log chain's format (the chain encodes the stored text, so
/// an auditor hashes a row as it is stored): a text never changes once shipped. Providers map the column with it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public static class LogStatusText
{
    private static readonly string[] s_texts = ["", "valid", "invalid_signature", "key_not_found", "key_revoked", "key_expired", "algorithm_mismatch", "malformed_signature", "access_denied", "key_tampered", "curve_disabled"];

    /// <summary>The stored text of <paramref name="status"/>.</summary>
    /// <param name="status">A defined verification status.</param>
    /// <returns>Lower-case ASCII letters and underscores.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a defined status.</exception>
    public static string ToText(VerificationStatus status)
        => (uint)status < (uint)s_texts.Length && status != 0 ? s_texts[(int)status] : throw new ArgumentOutOfRangeException(nameof(status), status, "Not a verification status.");
}
