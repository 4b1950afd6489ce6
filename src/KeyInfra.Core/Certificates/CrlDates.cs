using System.Formats.Asn1;

namespace KeyInfra.Certificates;

/// <summary>
/// The <c>thisUpdate</c> and <c>nextUpdate</c> a CRL's DER carries (RFC 5280, 5.1), read with <see cref="AsnReader"/>: the
/// dates relying parties see, where the stored columns beside the DER are only copies a database writer could change.
/// </summary>
internal static class CrlDates
{
    /// <summary>Reads the dates of a CRL KeyInfra signed (its DER already checked against an authenticated hash).</summary>
    /// <exception cref="AsnContentException">The bytes are not a DER CRL with both dates.</exception>
    public static (DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate) Read(ReadOnlyMemory<byte> der)
    {
        var certificateList = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = certificateList.ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }

        tbs.ReadSequence();
        tbs.ReadSequence();
        var thisUpdate = ReadTime(tbs);
        var nextUpdate = ReadTime(tbs);
        return (thisUpdate, nextUpdate);
    }

    private static DateTimeOffset ReadTime(AsnReader reader)
        => reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
