using System.Security.Cryptography;
using System.Text;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Encryption;

/// <summary>
/// AES-256-GCM envelope encryption (<see cref="EnvelopeFormat"/>, docs/security/envelope.md). A fresh 32-byte data key
/// per secret encrypts the data; the master key's data-key-wrap subkey wraps it (format v2, every new write). Format v1
/// ciphertexts, whose data key is wrapped under the master key itself, are still decrypted and re-wrapped.
/// </summary>
/// <remarks>
/// Thread-safe and stateless: every call creates its own <see cref="AesGcm"/> instances. Random 96-bit nonces
/// are safe because each data key encrypts exactly one message, and each wrap of a master key uses a fresh
/// random nonce (far below the 2^32 messages per key NIST SP 800-38D allows for random nonces).
/// Every call leases the key source's ring for its own length, so a ring the source replaces meanwhile is not
/// zeroed under it. Before a data key is wrapped, the ring's current key must have passed
/// <see cref="MasterKeyValidator"/> (when one is given, as in the engine): a current key that changed at run time
/// is checked against the database before it wraps anything.
/// </remarks>
internal sealed class EnvelopeEncryptor(IEncryptionKeyProvider keyProvider, ILogger<EnvelopeEncryptor> logger, MasterKeyValidator? validator = null) : IEnvelopeEncryptor
{
    private readonly IEncryptionKeyProvider _keyProvider = keyProvider;
    private readonly ILogger<EnvelopeEncryptor> _logger = logger;
    private readonly MasterKeyValidator? _validator = validator;

    public async ValueTask<byte[]> EncryptAsync(ReadOnlyMemory<byte> plaintext, EncryptionContext context, CancellationToken cancellationToken = default)
    {
        if (plaintext.Length > EnvelopeFormat.MaxPlaintextSize)
        {
            throw new ArgumentOutOfRangeException(nameof(plaintext), plaintext.Length, $"A secret encrypted at rest is at most {EnvelopeFormat.MaxPlaintextSize} bytes.");
        }

        EnvelopeFormat.CheckBinding(context.Binding.Span);
        var encodedContext = EnvelopeFormat.EncodeContext(context);
        using var lease = await _keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        await EnsureValidatedAsync(lease.Ring, cancellationToken).ConfigureAwait(false);
        return Seal(plaintext.Span, lease.Ring.Current, encodedContext, context.Binding.Span);
    }

    public async ValueTask<byte[]> DecryptAsync(ReadOnlyMemory<byte> ciphertext, EncryptionContext context, CancellationToken cancellationToken = default)
    {
        var header = EnvelopeFormat.Parse(ciphertext.Span);
        EnvelopeFormat.CheckBinding(context.Binding.Span);
        var encodedContext = EnvelopeFormat.EncodeContext(context);
        using var lease = await MasterKeyLeases.WithKeyAsync(
            _keyProvider, await _keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false), header.MasterKeyId, cancellationToken).ConfigureAwait(false);
        return Open(ciphertext.Span, header, FindMasterKey(lease.Ring, header.MasterKeyId), encodedContext, context);
    }

    public async ValueTask<byte[]> RewrapAsync(ReadOnlyMemory<byte> ciphertext, EncryptionContext context, CancellationToken cancellationToken = default)
    {
        var header = EnvelopeFormat.Parse(ciphertext.Span);
        EnvelopeFormat.CheckBinding(context.Binding.Span);
        var encodedContext = EnvelopeFormat.EncodeContext(context);
        using var lease = await MasterKeyLeases.WithKeyAsync(
            _keyProvider, await _keyProvider.AcquireRingAsync(cancellationToken).ConfigureAwait(false), header.MasterKeyId, cancellationToken).ConfigureAwait(false);
        var current = lease.Ring.Current;
        if (string.Equals(header.MasterKeyId, current.Id, StringComparison.Ordinal))
        {
            return ciphertext.ToArray();
        }

        var old = FindMasterKey(lease.Ring, header.MasterKeyId);
        await EnsureValidatedAsync(lease.Ring, cancellationToken).ConfigureAwait(false);
        return Rewrap(ciphertext.Span, header, old, current, encodedContext, context);
    }

    public string GetMasterKeyId(ReadOnlySpan<byte> ciphertext) => EnvelopeFormat.Parse(ciphertext).MasterKeyId;

    /// <summary>The format version of a ciphertext (read from its header, not authenticated).</summary>
    /// <exception cref="EncryptedDataException">KI2101: the ciphertext is malformed.</exception>
    public static byte GetVersion(ReadOnlySpan<byte> ciphertext) => EnvelopeFormat.Parse(ciphertext).Version;

    private static byte[] Seal(ReadOnlySpan<byte> plaintext, MasterKey masterKey, byte[] encodedContext, ReadOnlySpan<byte> binding)
    {
        const byte version = EnvelopeFormat.Version2;
        var idBytes = Encoding.ASCII.GetBytes(masterKey.Id);
        var output = new byte[EnvelopeFormat.GetLength(idBytes.Length, plaintext.Length)];
        var header = new EnvelopeHeader(masterKey.Id, idBytes.Length, output.Length) { Version = version };
        output[0] = version;
        output[1] = (byte)idBytes.Length;
        idBytes.CopyTo(output, EnvelopeHeader.IdOffset);

        Span<byte> dataKey = stackalloc byte[EnvelopeFormat.DataKeySize];
        try
        {
            RandomNumberGenerator.Fill(dataKey);
            WrapDataKey(dataKey, masterKey, idBytes, encodedContext, binding, output, header);

            var dataNonce = output.AsSpan(header.DataNonceOffset, EnvelopeFormat.NonceSize);
            RandomNumberGenerator.Fill(dataNonce);
            using var aes = new AesGcm(dataKey, EnvelopeFormat.TagSize);
            aes.Encrypt(
                dataNonce,
                plaintext,
                output.AsSpan(header.DataOffset, plaintext.Length),
                output.AsSpan(header.DataTagOffset, EnvelopeFormat.TagSize),
                EnvelopeFormat.DataAssociatedData(version, encodedContext, binding));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }

        return output;
    }

    private byte[] Open(ReadOnlySpan<byte> ciphertext, EnvelopeHeader header, MasterKey masterKey, byte[] encodedContext, in EncryptionContext context)
    {
        Span<byte> dataKey = stackalloc byte[EnvelopeFormat.DataKeySize];
        var plaintext = new byte[header.DataLength];
        try
        {
            UnwrapDataKey(ciphertext, header, masterKey, encodedContext, context.Binding.Span, dataKey);
            using var aes = new AesGcm(dataKey, EnvelopeFormat.TagSize);
            aes.Decrypt(
                ciphertext.Slice(header.DataNonceOffset, EnvelopeFormat.NonceSize),
                ciphertext.Slice(header.DataOffset, header.DataLength),
                ciphertext.Slice(header.DataTagOffset, EnvelopeFormat.TagSize),
                plaintext,
                EnvelopeFormat.DataAssociatedData(header.Version, encodedContext, context.Binding.Span));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException e)
        {
            // AesGcm clears the output on failure; cleared again so this does not depend on it.
            CryptographicOperations.ZeroMemory(plaintext);
            throw AuthenticationFailed(header, context, e);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>
    /// Re-wraps the data key under <paramref name="current"/>, keeping the ciphertext's version: a v1 data key is wrapped
    /// under the master key itself again, a v2 one under its data-key-wrap subkey. (Upgrading v1 to v2 changes the data's
    /// associated data, so it needs the data decrypted: <see cref="PrivateKeyReencryptor"/> does that.)
    /// </summary>
    private byte[] Rewrap(ReadOnlySpan<byte> ciphertext, EnvelopeHeader header, MasterKey old, MasterKey current, byte[] encodedContext, in EncryptionContext context)
    {
        var newIdBytes = Encoding.ASCII.GetBytes(current.Id);
        var output = new byte[EnvelopeFormat.GetLength(newIdBytes.Length, header.DataLength)];
        var newHeader = new EnvelopeHeader(current.Id, newIdBytes.Length, output.Length) { Version = header.Version };
        output[0] = header.Version;
        output[1] = (byte)newIdBytes.Length;
        newIdBytes.CopyTo(output, EnvelopeHeader.IdOffset);

        Span<byte> dataKey = stackalloc byte[EnvelopeFormat.DataKeySize];
        try
        {
            UnwrapDataKey(ciphertext, header, old, encodedContext, context.Binding.Span, dataKey);
            WrapDataKey(dataKey, current, newIdBytes, encodedContext, context.Binding.Span, output, newHeader);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw AuthenticationFailed(header, context, e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }

        // The data part (nonce, tag, encrypted data) is bound to the context only, so it moves over byte for byte.
        ciphertext[header.DataNonceOffset..].CopyTo(output.AsSpan(newHeader.DataNonceOffset));
        return output;
    }

    /// <summary>The key that wraps data keys in a version: v1 the master key itself, v2 its data-key-wrap subkey.</summary>
    private static ReadOnlySpan<byte> WrappingKey(MasterKey masterKey, byte version)
        => version == EnvelopeFormat.Version1 ? masterKey.KeyBytes : masterKey.Subkey(MasterKeyPurpose.DataKeyWrap);

    private static void WrapDataKey(ReadOnlySpan<byte> dataKey, MasterKey masterKey, ReadOnlySpan<byte> idBytes, byte[] encodedContext, ReadOnlySpan<byte> binding, byte[] output, EnvelopeHeader header)
    {
        var wrapNonce = output.AsSpan(header.WrapNonceOffset, EnvelopeFormat.NonceSize);
        RandomNumberGenerator.Fill(wrapNonce);
        using var aes = new AesGcm(WrappingKey(masterKey, header.Version), EnvelopeFormat.TagSize);
        aes.Encrypt(
            wrapNonce,
            dataKey,
            output.AsSpan(header.WrappedKeyOffset, EnvelopeFormat.DataKeySize),
            output.AsSpan(header.WrapTagOffset, EnvelopeFormat.TagSize),
            EnvelopeFormat.DataKeyAssociatedData(header.Version, idBytes, encodedContext, binding));
    }

    private static void UnwrapDataKey(ReadOnlySpan<byte> ciphertext, EnvelopeHeader header, MasterKey masterKey, byte[] encodedContext, ReadOnlySpan<byte> binding, Span<byte> dataKey)
    {
        using var aes = new AesGcm(WrappingKey(masterKey, header.Version), EnvelopeFormat.TagSize);
        aes.Decrypt(
            ciphertext.Slice(header.WrapNonceOffset, EnvelopeFormat.NonceSize),
            ciphertext.Slice(header.WrappedKeyOffset, EnvelopeFormat.DataKeySize),
            ciphertext.Slice(header.WrapTagOffset, EnvelopeFormat.TagSize),
            dataKey,
            EnvelopeFormat.DataKeyAssociatedData(header.Version, ciphertext.Slice(EnvelopeHeader.IdOffset, header.IdLength), encodedContext, binding));
    }

    private Task EnsureValidatedAsync(MasterKeyRing ring, CancellationToken cancellationToken)
        => _validator is null ? Task.CompletedTask : _validator.EnsureValidatedAsync(ring, cancellationToken);

    private static MasterKey FindMasterKey(MasterKeyRing ring, string masterKeyId)
    {
        return ring.Find(masterKeyId) ?? throw new EncryptedDataException(
            ErrorCodes.MasterKeyUnavailable,
            $"The data was encrypted under master key '{masterKeyId}', which the configured master key source does not provide. " +
            "Supply that key as a previous master key (for the environment source: add it to KEYINFRA_PREVIOUS_MASTER_KEYS, " +
            "or put the original key back in KEYINFRA_MASTER_KEY), then run 'reencrypt' to re-wrap everything under the current key.");
    }

    private EncryptedDataException AuthenticationFailed(EnvelopeHeader header, in EncryptionContext context, Exception inner)
    {
        Log.CiphertextAuthenticationFailed(_logger, context.Table, context.Column, context.RowId, context.TenantId, header.MasterKeyId);
        return new EncryptedDataException(
            ErrorCodes.CiphertextAuthenticationFailed,
            $"The encrypted data in {context.Table}.{context.Column}, row {context.RowId} of tenant {context.TenantId}, failed authentication: " +
            "it may have been tampered with or moved from another row, column or tenant, the data it is bound to (for a private key: " +
            $"the key's public key and spec) may have been changed, or master key '{header.MasterKeyId}' " +
            "is not the key that wrapped it (another key with the same id). Restore the row from a backup, or configure the right master key.",
            inner);
    }
}
