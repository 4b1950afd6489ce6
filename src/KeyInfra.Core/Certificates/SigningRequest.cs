using System.Security.Cryptography.X509Certificates;

namespace KeyInfra.Certificates;

/// <summary>What KeyInfra takes from a certificate signing request whose signature verified: the subject, its public key and the names it asks for.</summary>
/// <param name="Subject">The subject's distinguished name, rebuilt from the request's accepted attributes (<see cref="RequestSubject"/>), never the request's own bytes.</param>
/// <param name="PublicKey">The subject's public key (the request was signed with its private key).</param>
/// <param name="Names">The DNS names (lower-cased) and IP addresses of its subject alternative name, each once.</param>
internal sealed record SigningRequest(X500DistinguishedName Subject, PublicKey PublicKey, CertificateNames Names);
