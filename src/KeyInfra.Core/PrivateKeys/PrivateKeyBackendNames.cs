namespace KeyInfra.PrivateKeys;

/// <summary>The names of the private-key backends KeyInfra ships (<see cref="IPrivateKeyBackend.Name"/>).</summary>
public static class PrivateKeyBackendNames
{
    /// <summary>Keys generated in process and stored encrypted at rest under the master key (the default).</summary>
    public const string Software = "software";
}
