namespace KeyInfra.Verification.Chain;

/// <summary>
/// The text every provider stores in a <c>result</c> column for a <see cref="VerificationStatus"/>
/// (<c>invalid_signature</c>); the chain encodes the stored text, so the auditor can hash a row as it is stored.
/// </summary>
internal static class LogStatusText
{
    private static readonly string[] s_texts = ["", "valid", "invalid_signature", "key_not_found", "key_revoked", "key_expired", "algorithm_mismatch", "malformed_signature", "access_denied", "key_tampered"];

    public static string ToText(VerificationStatus status)
        => (uint)status < (uint)s_texts.Length && status != 0 ? s_texts[(int)status] : throw new ArgumentOutOfRangeException(nameof(status), status, "Not a verification status.");
}
