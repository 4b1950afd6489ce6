using KeyInfra.Encryption;
using KeyInfra.Errors;

namespace KeyInfra.PrivateKeys;

/// <summary>
/// The envelope encryption the software backend stores keys under, or nothing when the host registered no master key
/// source (keys can then be imported and verified, not created). Built by the registration, which alone knows
/// whether a source exists, so the backend states its needs in its constructor.
/// </summary>
internal sealed class SoftwareKeyEncryption(IEnvelopeEncryptor? encryptor, MasterKeyValidator? validator)
{
    /// <summary>The encryptor, or <c>null</c> when no master key source is registered.</summary>
    public IEnvelopeEncryptor? Encryptor => encryptor;

    /// <summary>The encryptor and the validator that must pass before anything is written.</summary>
    /// <exception cref="MasterKeyException">KI2001: no master key source is registered.</exception>
    public (IEnvelopeEncryptor Encryptor, MasterKeyValidator Validator) Require()
    {
        if (encryptor is null || validator is null)
        {
            ThrowHelper.NoMasterKeySource();
        }

        return (encryptor, validator);
    }
}
