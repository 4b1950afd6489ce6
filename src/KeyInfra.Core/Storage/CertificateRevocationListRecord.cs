namespace KeyInfra.Storage;

/// <summary>A published CRL as stored in <c>certificate_revocation_lists</c>: its DER exactly as signed.</summary>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="AuthorityId">The authority that signed it.</param>
/// <param name="Number">Its CRL number (1, 2, ...; one per authority).</param>
/// <param name="ThisUpdate">Its <c>thisUpdate</c> (UTC).</param>
/// <param name="NextUpdate">Its <c>nextUpdate</c> (UTC).</param>
/// <param name="Der">The CRL, DER.</param>
public sealed record CertificateRevocationListRecord(Guid TenantId, Guid AuthorityId, long Number, DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate, byte[] Der);
