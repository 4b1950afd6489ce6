namespace KeyInfra.Storage;

/// <summary>Why a key is read through <see cref="IKeyReader"/>: it decides whether private key material is loaded.</summary>
public enum KeyReadPurpose
{
    /// <summary>To verify: the public key and lifecycle only. No private key material is read.</summary>
    Verification = 0,

    /// <summary>To sign: everything, including the stored private key.</summary>
    Signing = 1,
}
