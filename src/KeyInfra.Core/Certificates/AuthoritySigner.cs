using KeyInfra.Signing;

namespace KeyInfra.Certificates;

/// <summary>
/// The <see cref="ISigner"/> a certificate authority's <see cref="KeySignatureGenerator"/> signs through: the engine's
/// signer on its authority path (<see cref="Signer.SignForAuthorityAsync"/>), for one tenant. Only the certificate
/// services make one, after authorizing what they sign.
/// </summary>
internal sealed class AuthoritySigner(Signer signer, Guid tenantId) : ISigner
{
    public Task<SignResult> SignAsync(SignRequest request, CancellationToken cancellationToken = default)
        => signer.SignForAuthorityAsync(tenantId, request, cancellationToken);
}
