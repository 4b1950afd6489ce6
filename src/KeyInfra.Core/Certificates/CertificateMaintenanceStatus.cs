namespace KeyInfra.Certificates;

/// <summary>What the last scheduled CRL pass of this process found, for the certificates health check.</summary>
/// <remarks>Thread-safe: one immutable snapshot, swapped whole.</remarks>
internal sealed class CertificateMaintenanceStatus
{
    /// <summary>The <see cref="Snapshot.Failed"/> of a pass that could not even list the authorities.</summary>
    public const int WholePass = -1;

    private volatile Snapshot? _lastCrlPass;

    /// <summary>The last CRL pass, or <c>null</c> before the first.</summary>
    public Snapshot? LastCrlPass => _lastCrlPass;

    public void CrlPassFinished(DateTimeOffset at, int published, int failed) => _lastCrlPass = new Snapshot(at, published, failed);

    /// <param name="At">When the pass ended.</param>
    /// <param name="Published">CRLs it published.</param>
    /// <param name="Failed">Authorities whose CRL it could not publish, or <see cref="WholePass"/>.</param>
    public sealed record Snapshot(DateTimeOffset At, int Published, int Failed);
}
