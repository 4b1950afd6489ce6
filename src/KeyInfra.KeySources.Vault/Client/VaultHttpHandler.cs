using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace KeyInfra.KeySources.Vault.Client;

/// <summary>
/// The connection handler for Vault: no redirects (the token header would follow them), pooled connections renewed
/// every few minutes, and, with <see cref="VaultMasterKeyOptions.CaCertificatePath"/>, only that CA trusted for Vault's
/// certificate (its name still checked).
/// </summary>
internal static class VaultHttpHandler
{
    public static SocketsHttpHandler Create(VaultMasterKeyOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.RequestTimeout,
            MaxResponseHeadersLength = 64,
        };

        if (options.CaCertificatePath is { } path)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(path);
            if (roots.Count == 0)
            {
                throw new InvalidOperationException($"VaultMasterKeyOptions.CaCertificatePath '{path}' holds no PEM certificate.");
            }

            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => TrustedByCa(roots, certificate, chain, errors);
        }

        return handler;
    }

    private static bool TrustedByCa(X509Certificate2Collection roots, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
