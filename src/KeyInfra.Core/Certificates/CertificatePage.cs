namespace KeyInfra.Certificates;

/// <summary>A page of certificates, in issue order.</summary>
/// <param name="Items">The certificates.</param>
/// <param name="NextCursor">Pass as <see cref="CertificateQuery.After"/> for the next page; <c>null</c> when this is the last.</param>
public sealed record CertificatePage(IReadOnlyList<CertificateInfo> Items, Guid? NextCursor);
