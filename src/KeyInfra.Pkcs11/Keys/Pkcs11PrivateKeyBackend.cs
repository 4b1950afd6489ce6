using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Pkcs11.Diagnostics;
using KeyInfra.Pkcs11.Errors;
using KeyInfra.Pkcs11.Sessions;
using KeyInfra.PrivateKeys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace KeyInfra.Pkcs11.Keys;

/// <summary>
/// The <c>pkcs11</c> private-key backend: generates key pairs inside a tenant's HSM slot (or adopts one another tool put
/// there) and signs with them in the token. The private-key record holds only a reference (<see cref="ObjectReference"/>)
/// and the slot's id; the public key is the key row's, so verification never touches the HSM.
/// </summary>
/// <remarks>
/// <para>Trust: the reference and the slot id come from the database, which is not trusted. Before a token object signs
/// for a key, and again whenever it is found anew, KeyInfra checks that it belongs to the key row's stored public key
/// (which the row MAC authenticates): the token's public key must equal it, and a signature over a fresh random challenge
/// must verify under it. A row redirected to another object, slot or token fails with KI6010.</para>
/// <para>Backend options: <see cref="Pkcs11BackendOptionNames.Slot"/> (required), and to adopt an existing key
/// <see cref="Pkcs11BackendOptionNames.AdoptLabel"/> and/or <see cref="Pkcs11BackendOptionNames.AdoptId"/>. A rotation
/// generates the new version in the previous version's slot.</para>
/// </remarks>
internal sealed class Pkcs11PrivateKeyBackend(Pkcs11Runtime runtime, Pkcs11Metrics metrics, ILogger<Pkcs11PrivateKeyBackend> logger) : IPrivateKeyBackend
{
    // Pauses before finding a key's object again when a find comes back empty (see WithSecondLooksAsync).
    private static readonly TimeSpan[] s_secondLookDelays = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)];

    private static readonly SignatureParameters s_proofParameters = new(HashAlgorithmName.SHA256, SignatureEncoding.P1363, RsaPadding.Pkcs1);

    public string Name => Pkcs11BackendOptionNames.BackendName;

    internal Pkcs11Metrics Metrics => metrics;

    public async Task<GeneratedPrivateKey> GenerateAsync(KeySpec spec, PrivateKeyGenerationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        var (slotName, adoptLabel, adoptId) = ParseOptions(context);
        SlotContext slot;
        if (context.Previous is { } previous)
        {
            var previousSlot = previous.HsmSlotId ?? throw new HsmException(Pkcs11ErrorCodes.ReferenceInvalid,
                $"The ring's previous key is held by the '{Name}' backend but names no HSM slot; the row was changed outside KeyInfra.");
            slot = await runtime.GetSlotAsync(context.TenantId, previousSlot, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            slot = await runtime.FindSlotAsync(context.TenantId, slotName!, cancellationToken).ConfigureAwait(false);
        }

        var pool = slot.Pool;
        await pool.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var adopt = adoptLabel is not null || adoptId is not null;
        var (spki, reference) = adopt
            ? await RunMappedAsync(pool, pooled => Adopt(pooled, pool.Description, spec, adoptId, adoptLabel), cancellationToken).ConfigureAwait(false)
            : await RunMappedAsync(pool, pooled => Generate(pooled, pool.Description, spec, context.KeyId), cancellationToken, changesObjects: true).ConfigureAwait(false);

        if (adopt)
        {
            Log.KeyAdopted(logger, spec.Name, reference.Label, reference.IdHex, pool.Description, context.KeyId.Value, context.TenantId);
        }
        else
        {
            Log.KeyGenerated(logger, spec.Name, context.KeyId.Value, context.TenantId, pool.Description);
        }

        return new GeneratedPrivateKey(spki, new PrivateKeyRecord(PrivateKeyProtection.Hsm, reference.Encode(), null)
        {
            Backend = Name,
            HsmSlotId = slot.Slot.Id,
        });
    }

    /// <summary>
    /// Destroys the token objects a generation made for a key whose row could not be stored. An adopted key is the
    /// token's own and is never destroyed; only the objects with the generated key's id and label are.
    /// </summary>
    public async Task DiscardAsync(GeneratedPrivateKey generated, PrivateKeyGenerationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(context);
        var (_, adoptLabel, adoptId) = ParseOptions(context);
        if (adoptLabel is not null || adoptId is not null || generated.PrivateKey.HsmSlotId is not { } slotId)
        {
            return;
        }

        var reference = ObjectReference.Parse(generated.PrivateKey.Material, context.KeyId.Value);
        var slot = await runtime.GetSlotAsync(context.TenantId, slotId, cancellationToken).ConfigureAwait(false);
        var destroyed = await RunMappedAsync(slot.Pool, pooled =>
        {
            var count = 0;
            foreach (var objectClass in new[] { CKO.CKO_PRIVATE_KEY, CKO.CKO_PUBLIC_KEY })
            {
                foreach (var handle in TokenKeys.Find(pooled, objectClass, reference.Id, reference.Label))
                {
                    pooled.Session.DestroyObject(handle);
                    count++;
                }
            }

            return count;
        }, cancellationToken, changesObjects: true).ConfigureAwait(false);
        Log.GeneratedKeyDestroyed(logger, context.KeyId.Value, context.TenantId, destroyed, slot.Pool.Description);
    }

    public async Task<IPrivateKeyHandle> OpenAsync(KeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var privateKey = key.PrivateKey ?? throw new ArgumentException($"Key {key.Id} has no private key.", nameof(key));
        if (privateKey.Protection != PrivateKeyProtection.Hsm || privateKey.HsmSlotId is null)
        {
            throw new HsmException(Pkcs11ErrorCodes.ReferenceInvalid,
                $"Key {key.Id} names the '{Name}' backend but is not stored as an HSM key with a slot (protection {privateKey.Protection}); the row was changed outside KeyInfra. KeyInfra does not sign with it.");
        }

        var reference = ObjectReference.Parse(privateKey.Material, key.Id.Value);
        var target = await OpenTargetAsync(key, reference, cancellationToken).ConfigureAwait(false);
        return new Pkcs11PrivateKeyHandle(this, key, reference, target);
    }

    /// <summary>Finds the key's object in its slot's token and checks that it belongs to the row's public key.</summary>
    internal async Task<Pkcs11KeyTarget> OpenTargetAsync(KeyRecord key, ObjectReference reference, CancellationToken cancellationToken)
    {
        var slot = await runtime.GetSlotAsync(key.TenantId, key.PrivateKey!.HsmSlotId!.Value, cancellationToken).ConfigureAwait(false);
        await slot.Pool.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var target = new Pkcs11KeyTarget(slot);
        await WithSecondLooksAsync(
            key,
            slot.Pool.Description,
            () => RunMappedAsync(slot.Pool, pooled => target.Remember(pooled.Generation, FindVerified(pooled, slot.Pool.Description, key, reference)), cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return target;
    }

    /// <summary>
    /// Runs an operation that finds a key's object, looking again after a pause when the object is not found (KI6008),
    /// twice: SoftHSM2 2.6's file store, re-indexing a token while another session creates objects in it, can leave a
    /// find blind to an existing object for a few milliseconds. The pauses hold neither a session nor a thread.
    /// </summary>
    internal async Task<T> WithSecondLooksAsync<T>(KeyRecord key, string pool, Func<Task<T>> find, CancellationToken cancellationToken)
    {
        for (var look = 0; ; look++)
        {
            try
            {
                var found = await find().ConfigureAwait(false);
                if (look > 0)
                {
                    Log.KeyObjectFoundOnSecondLook(logger, key.Id.Value, key.TenantId, pool);
                }

                return found;
            }
            catch (HsmException e) when (e.ErrorCode == Pkcs11ErrorCodes.KeyObjectNotFound)
            {
                if (look == s_secondLookDelays.Length)
                {
                    Log.KeyObjectMissing(logger, key.Id.Value, key.TenantId, pool);
                    throw;
                }

                await Task.Delay(s_secondLookDelays[look], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The key's private object in this session's token, checked against the row's stored public key: the token's
    /// public key must equal it and a proof signature must verify under it.
    /// </summary>
    internal IObjectHandle FindVerified(PooledSession pooled, string pool, KeyRecord key, ObjectReference reference)
    {
        var spec = key.Spec;
        var handles = TokenKeys.Find(pooled, CKO.CKO_PRIVATE_KEY, reference.Id, reference.Label);
        if (handles.Count == 0)
        {
            // A token that went away (SoftHSM2 answers CKR_GENERAL_ERROR for a deleted one) finds nothing either: that
            // is the token's absence, which the pool handles by renewing, not the key's.
            EnsureTokenPresent(pooled);
            throw new HsmException(Pkcs11ErrorCodes.KeyObjectNotFound,
                $"Key {key.Id}'s private key ({reference}) is not in the token of {pool}: it was deleted outside KeyInfra, or the slot now reaches another token. KeyInfra cannot sign with it; restore the token from its backup, or revoke the key.");
        }

        if (handles.Count > 1)
        {
            throw new HsmException(Pkcs11ErrorCodes.KeyObjectAmbiguous,
                $"{handles.Count} private-key objects with key {key.Id}'s reference ({reference}) are in the token of {pool}; KeyInfra will not guess which one is the key. Remove the copies another tool made.");
        }

        var handle = handles[0];
        if (key.PublicKeyFormat != KeyFormat.Der)
        {
            throw Mismatch(key, $"the row's public key is stored as {key.PublicKeyFormat}, while KeyInfra stores HSM keys' public keys as DER");
        }

        if (TokenKeys.CheckPrivateKey(pooled, handle, spec, requireProtected: false) is { } unfit)
        {
            throw Mismatch(key, $"the token object is not a {spec.Name} signing key: {unfit}");
        }

        var tokenSpki = TokenKeys.ReadSpki(pooled, spec, handle, reference);
        if (tokenSpki is not null && !tokenSpki.AsSpan().SequenceEqual(key.PublicKeyData))
        {
            throw Mismatch(key, "the token's public key for the object differs from the row's");
        }

        if (!Proves(pooled, spec, handle, key.PublicKeyData))
        {
            throw Mismatch(key, "a signature made with the token object does not verify under the row's public key");
        }

        return handle;
    }

    private static void EnsureTokenPresent(PooledSession pooled)
    {
        bool present;
        try
        {
            var info = pooled.Slot.GetTokenInfo();
            present = info.TokenFlags.TokenInitialized && pooled.Token.Matches(info.Label, info.SerialNumber);
        }
        catch (Pkcs11Exception)
        {
            present = false;
        }

        if (!present)
        {
            throw new Pkcs11Exception("C_GetTokenInfo", CKR.CKR_TOKEN_NOT_PRESENT);
        }
    }

    internal static async Task<T> RunMappedAsync<T>(TokenSessionPool pool, Func<PooledSession, T> operation, CancellationToken cancellationToken, bool changesObjects = false)
    {
        try
        {
            return changesObjects
                ? await pool.RunChangingObjectsAsync(operation, cancellationToken).ConfigureAwait(false)
                : await pool.RunAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch (Pkcs11Exception e)
        {
            throw ReturnValues.ToHsmException(pool.Description, e);
        }
    }

    private static (byte[] Spki, ObjectReference Reference) Generate(PooledSession pooled, string pool, KeySpec spec, KeyId keyId)
    {
        TokenKeys.RequireMechanisms(pooled.Slot, pool, spec, [TokenKeys.GenerationMechanism(spec)], generate: true);
        TokenKeys.RequireMechanisms(pooled.Slot, pool, spec, TokenKeys.SigningMechanisms(spec), generate: false);
        var reference = new ObjectReference(keyId.Value.ToByteArray(bigEndian: true), $"keyinfra-{keyId.Value:D}");
        var (publicKey, privateKey) = TokenKeys.Generate(pooled, spec, reference);
        try
        {
            // The generated public object is at hand: no search for it, unlike ReadSpki.
            var spki = spec.Algorithm == KeyAlgorithm.Rsa ? TokenKeys.ReadSpki(pooled, spec, privateKey, reference)! : TokenKeys.PointSpki(pooled, spec, publicKey);
            return (spki, reference);
        }
        catch
        {
            // Nothing half-made stays in the token.
            TryDestroy(pooled, publicKey);
            TryDestroy(pooled, privateKey);
            throw;
        }
    }

    private static (byte[] Spki, ObjectReference Reference) Adopt(PooledSession pooled, string pool, KeySpec spec, byte[]? id, string? label)
    {
        var what = string.Join(" and ", new[] { label is null ? null : $"label '{label}'", id is null ? null : $"id {Convert.ToHexStringLower(id)}" }.Where(w => w is not null));
        var handles = TokenKeys.Find(pooled, CKO.CKO_PRIVATE_KEY, id, label);
        if (handles.Count == 0)
        {
            throw new HsmException(Pkcs11ErrorCodes.KeyObjectNotFound,
                $"No private key with {what} is in the token of {pool}. List the token's objects (pkcs11-tool --list-objects --login) and give the label or id of the key to adopt.");
        }

        if (handles.Count > 1)
        {
            throw new HsmException(Pkcs11ErrorCodes.KeyObjectAmbiguous,
                $"{handles.Count} private keys with {what} are in the token of {pool}. Name the key to adopt by both label and id, so exactly one matches.");
        }

        var handle = handles[0];
        if (TokenKeys.CheckPrivateKey(pooled, handle, spec, requireProtected: true) is { } unfit)
        {
            throw new HsmException(Pkcs11ErrorCodes.KeyObjectUnfit, $"The private key with {what} in the token of {pool} cannot be adopted as a {spec.Name} key: {unfit}.");
        }

        TokenKeys.RequireMechanisms(pooled.Slot, pool, spec, TokenKeys.SigningMechanisms(spec), generate: false);
        var reference = TokenKeys.ReferenceOf(pooled, handle);
        var spki = TokenKeys.ReadSpki(pooled, spec, handle, reference)
            ?? throw new HsmException(Pkcs11ErrorCodes.KeyObjectUnfit,
                $"The private key with {what} in the token of {pool} has no public key object with the same id and label, so KeyInfra cannot learn its public key. Store its public key in the token under the same CKA_ID and CKA_LABEL, then adopt it.");

        // The public object could belong to another key that happens to share the id and label: the private key must prove it.
        if (!Proves(pooled, spec, handle, spki))
        {
            throw new HsmException(Pkcs11ErrorCodes.TokenKeyMismatch,
                $"The public key object with {what} in the token of {pool} does not belong to the private key: a signature made with the private key does not verify under it. Fix the token's objects, then adopt the key.");
        }

        return (spki, reference);
    }

    private static bool Proves(PooledSession pooled, KeySpec spec, IObjectHandle handle, byte[] spki)
    {
        var challenge = RandomNumberGenerator.GetBytes(32);
        var (mechanism, input) = TokenKeys.PrepareSignature(pooled.Factories, spec, challenge, inputIsHash: false, s_proofParameters);
        var signature = TokenKeys.FinishSignature(spec, pooled.Session.Sign(mechanism, handle, input), s_proofParameters);
        return TokenKeys.Verify(spec, spki, challenge, signature, s_proofParameters);
    }

    private HsmException Mismatch(KeyRecord key, string reason)
    {
        Log.TokenKeyMismatch(logger, key.Id.Value, key.TenantId, reason);
        return new HsmException(Pkcs11ErrorCodes.TokenKeyMismatch,
            $"Key {key.Id} of tenant {key.TenantId} cannot sign: {reason}. Its row's token reference or slot was changed outside KeyInfra (or the token was replaced), and KeyInfra signs only with the key the row's authenticated public key names. Restore the row from a backup, or revoke the key.");
    }

    private static void TryDestroy(PooledSession pooled, IObjectHandle handle)
    {
        try
        {
            pooled.Session.DestroyObject(handle);
        }
        catch (Pkcs11Exception)
        {
            // Best effort: the error that got here is the one to report.
        }
    }

    private (string? Slot, string? AdoptLabel, byte[]? AdoptId) ParseOptions(PrivateKeyGenerationContext context)
    {
        string? slot = null, label = null;
        byte[]? id = null;
        foreach (var (name, value) in context.Options)
        {
            switch (name)
            {
                case Pkcs11BackendOptionNames.Slot:
                    slot = value;
                    break;
                case Pkcs11BackendOptionNames.AdoptLabel:
                    if (value.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(value) > ObjectReference.MaxLabelLength)
                    {
                        throw new ArgumentException($"The '{Pkcs11BackendOptionNames.AdoptLabel}' option is a CKA_LABEL of 1 to {ObjectReference.MaxLabelLength} UTF-8 bytes.", nameof(context));
                    }

                    label = value;
                    break;
                case Pkcs11BackendOptionNames.AdoptId:
                    id = ParseHex(value);
                    break;
                default:
                    throw new ArgumentException($"The '{Name}' private-key backend has no option '{name}'; it takes '{Pkcs11BackendOptionNames.Slot}', '{Pkcs11BackendOptionNames.AdoptLabel}' and '{Pkcs11BackendOptionNames.AdoptId}'.", nameof(context));
            }
        }

        if (context.Previous is not null)
        {
            if (context.Options.Count > 0)
            {
                throw new ArgumentException("A rotated key is generated in the slot of the ring's previous version; it takes no backend options.", nameof(context));
            }
        }
        else if (string.IsNullOrEmpty(slot))
        {
            throw new ArgumentException($"The '{Name}' private-key backend needs the '{Pkcs11BackendOptionNames.Slot}' option: the name of the tenant's HSM slot to generate the key in (or adopt it from).", nameof(context));
        }

        return (slot, label, id);
    }

    private static byte[] ParseHex(string value)
    {
        if (value.Length == 0 || value.Length % 2 != 0 || value.Length > 2 * ObjectReference.MaxIdLength
            || !value.All(c => char.IsAsciiHexDigit(c)))
        {
            throw new ArgumentException($"The '{Pkcs11BackendOptionNames.AdoptId}' option is a CKA_ID in hexadecimal, 1 to {ObjectReference.MaxIdLength} bytes (an even number of hex digits).", nameof(value));
        }

        return Convert.FromHexString(value.AsSpan());
    }
}
