using System.Security.Cryptography;

namespace KeyInfra.Certificates;

/// <summary>
/// Certificate serial numbers: 16 bytes from the platform's CSPRNG, positive (the top bit clear) and with a non-zero
/// first byte, so each is a 16-byte DER INTEGER carrying 127 random bits — above the CA/Browser Forum's 64 bits of CSPRNG
/// output and within RFC 5280's 20 octets. (Uniqueness per issuer is the store's to enforce; there is no store yet.)
/// </summary>
internal static class CertificateSerialNumber
{
    /// <summary>The length of a serial number, in bytes.</summary>
    public const int Length = 16;

    /// <summary>A new serial number, big-endian as <see cref="System.Security.Cryptography.X509Certificates.CertificateRequest.Create(System.Security.Cryptography.X509Certificates.X500DistinguishedName, System.Security.Cryptography.X509Certificates.X509SignatureGenerator, DateTimeOffset, DateTimeOffset, byte[])"/> takes it.</summary>
    public static byte[] New()
    {
        var serial = RandomNumberGenerator.GetBytes(Length);

        // Clear the sign bit (a serial number is positive) and keep the first byte non-zero (no leading zero octet to
        // strip, so every serial is exactly 16 bytes in DER): one bit of the 128 is given up, and 1/128 of draws redrawn.
        while ((serial[0] & 0x7F) == 0)
        {
            serial[0] = RandomNumberGenerator.GetBytes(1)[0];
        }

        serial[0] &= 0x7F;
        return serial;
    }

    /// <summary>
    /// Refuses a serial number that is not a positive DER INTEGER of 1 to 20 octets exactly as given (RFC 5280, 4.1.2.2):
    /// its first byte must be 0x01 to 0x7F — not zero (a leading zero octet, or a zero serial), and without the sign bit.
    /// </summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static void ThrowIfInvalid(byte[] serialNumber, string paramName)
    {
        ArgumentNullException.ThrowIfNull(serialNumber, paramName);
        if (serialNumber.Length is 0 or > 20)
        {
            throw new ArgumentException($"A serial number is 1 to 20 bytes (RFC 5280, 4.1.2.2); this one is {serialNumber.Length}. Use CertificateSerialNumber.New().", paramName);
        }

        if (serialNumber[0] is 0 or >= 0x80)
        {
            throw new ArgumentException(
                $"A serial number's first byte is 0x01 to 0x7F, so the DER INTEGER is positive, non-zero and the bytes as given; this one starts with 0x{serialNumber[0]:X2}. Use CertificateSerialNumber.New().",
                paramName);
        }
    }
}
