namespace KeyInfra.Certificates;

/// <summary>A CRL an authority published: DER as signed (<see cref="CertificatePem.Crl"/> gives PEM).</summary>
/// <param name="AuthorityId">The authority.</param>
/// <param name="Number">Its CRL number.</param>
/// <param name="ThisUpdate">Its <c>thisUpdate</c>.</param>
/// <param name="NextUpdate">Its <c>nextUpdate</c>: relying parties treat it as stale after this.</param>
/// <param name="Der">The CRL, DER.</param>
public sealed record CertificateRevocationListInfo(Guid AuthorityId, long Number, DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate, ReadOnlyMemory<byte> Der);
