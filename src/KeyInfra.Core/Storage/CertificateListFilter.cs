using KeyInfra.Certificates;

namespace KeyInfra.Storage;

/// <summary>Which certificates <see cref="ICertificateRepository.ListCertificatesAsync"/> returns: all filters optional, combined with AND.</summary>
/// <param name="Owner">Only this owner's; <c>null</c> for every owner the read may see (<see cref="OwnerScope"/>).</param>
/// <param name="AuthorityId">Only those this authority issued.</param>
/// <param name="Status">Only those with this status.</param>
/// <param name="After">Only those whose id is greater (keyset paging: the last id of the previous page).</param>
/// <param name="Limit">At most this many, 1–1,000.</param>
public sealed record CertificateListFilter(string? Owner, Guid? AuthorityId, CertificateStatus? Status, Guid? After, int Limit);
