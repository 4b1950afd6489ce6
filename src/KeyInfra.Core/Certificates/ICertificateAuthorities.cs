namespace KeyInfra.Certificates;

/// <summary>
/// The tenant's certificate authorities: create roots and intermediates from KeyInfra keys (software or PKCS#11), read
/// them, and publish their CRLs. Every call is authorized (creating and publishing need an admin of the tenant:
/// <see cref="Authorization.KeyInfraOperation.ManageCertificateAuthorities"/>) and every change is audited.
/// </summary>
public interface ICertificateAuthorities
{
    /// <summary>Creates a self-signed root authority (profile <c>root-ca</c>) and publishes its first CRL.</summary>
    /// <param name="request">What to create.</param>
    /// <param name="cancellationToken">Cancels the call (a key already generated stays, marked, unused).</param>
    /// <exception cref="Errors.CertificateException">KI8012 the name is taken; KI8017 the existing key is not dedicated; KI8003 the profile refuses.</exception>
    Task<CertificateAuthorityInfo> CreateRootAsync(CreateCertificateAuthorityRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates an intermediate authority (profile <c>intermediate-ca</c>: it issues end-entity certificates only), certified by <paramref name="parentId"/>.</summary>
    /// <param name="parentId">The authority that certifies it.</param>
    /// <param name="request">What to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.CertificateException">KI8011 no such parent; KI8003 the parent may not certify an authority or would expire first.</exception>
    Task<CertificateAuthorityInfo> CreateIntermediateAsync(Guid parentId, CreateCertificateAuthorityRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads an authority; <c>null</c> if the tenant has none with that id.</summary>
    /// <param name="authorityId">The authority.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="Errors.CertificateException">KI8015: its stored row fails its MAC or its certificate is not its key's.</exception>
    Task<CertificateAuthorityInfo?> GetAsync(Guid authorityId, CancellationToken cancellationToken = default);

    /// <summary>Reads an authority by name; <c>null</c> if there is none.</summary>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<CertificateAuthorityInfo?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The tenant's authorities, in creation order.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<CertificateAuthorityInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes the authority's next CRL: number one more than the last, every revoked certificate of the authority and
    /// every entry of the last CRL (checked against its signature and the authority's authenticated state first), this
    /// update now, next update <see cref="CertificateOptions.CrlValidity"/> later.
    /// </summary>
    /// <param name="authorityId">The authority.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.CertificateException">KI8011 no such authority; KI8015 its last CRL is missing or not the one it published.</exception>
    Task<CertificateRevocationListInfo> PublishCrlAsync(Guid authorityId, CancellationToken cancellationToken = default);

    /// <summary>The authority's latest CRL (checked against its authenticated hash); <c>null</c> before the first.</summary>
    /// <param name="authorityId">The authority.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<CertificateRevocationListInfo?> GetCrlAsync(Guid authorityId, CancellationToken cancellationToken = default);

    /// <summary>The chain above a certificate the authority issued: the authority's certificate, then its parents' up to the root, DER.</summary>
    /// <param name="authorityId">The authority.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<ReadOnlyMemory<byte>>> GetChainAsync(Guid authorityId, CancellationToken cancellationToken = default);
}
