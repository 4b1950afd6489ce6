using System.Text;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Tests;

namespace KeyInfra.Core.Tests.Encryption;

[TestClass]
public sealed class EnvelopeEncryptorTests
{
    // Offsets of the v1 and v2 formats (one layout), written out here independently of the implementation (docs/security/envelope.md).
    private const int FixedOverhead = 1 + 1 + 12 + 32 + 16 + 12 + 16;

    private static readonly Guid Tenant = Guid.Parse("0193a6f2-7c1e-7d3a-9b2f-5e4c3d2b1a09");
    private static readonly Guid Row = Guid.Parse("0193a6f2-8000-7000-8000-000000000001");
    private static readonly EncryptionContext Context = new(Tenant, "private_keys", "key_material", Row);

    private static int RegionOffset(string region, int idLength) => region switch
    {
        "wrapNonce" => 2 + idLength,
        "wrappedDek" => 14 + idLength,
        "wrapTag" => 46 + idLength,
        "dataNonce" => 62 + idLength,
        "dataTag" => 74 + idLength,
        "ciphertext" => 90 + idLength,
        _ => throw new ArgumentOutOfRangeException(nameof(region)),
    };

    private static int RegionLength(string region, int dataLength) => region switch
    {
        "wrapNonce" or "dataNonce" => 12,
        "wrappedDek" => 32,
        "wrapTag" or "dataTag" => 16,
        "ciphertext" => dataLength,
        _ => throw new ArgumentOutOfRangeException(nameof(region)),
    };

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(1024 * 1024)]
    public async Task EncryptAsync_ThenDecryptAsync_ReturnsThePlaintext(int length)
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(provider);
        var plaintext = new byte[length];
        Random.Shared.NextBytes(plaintext);

        var ciphertext = await encryptor.EncryptAsync(plaintext, Context);
        var decrypted = await encryptor.DecryptAsync(ciphertext, Context);

        CollectionAssert.AreEqual(plaintext, decrypted);
    }

    [TestMethod]
    public async Task EncryptAsync_SamePlaintextTwice_ProducesDifferentCiphertexts()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "k1");
        var encryptor = TestMasterKeys.Encryptor(provider);
        var plaintext = Encoding.ASCII.GetBytes("the same secret");

        var first = await encryptor.EncryptAsync(plaintext, Context);
        var second = await encryptor.EncryptAsync(plaintext, Context);

        Assert.HasCount(first.Length, second);
        CollectionAssert.AreNotEqual(first, second);
        // Fresh nonces and a fresh data key: not even the wrapped key or the encrypted data repeat.
        var wrappedKey = RegionOffset("wrappedDek", 2);
        CollectionAssert.AreNotEqual(first[wrappedKey..(wrappedKey + 32)], second[wrappedKey..(wrappedKey + 32)]);
        CollectionAssert.AreNotEqual(first[^plaintext.Length..], second[^plaintext.Length..]);
    }

    [TestMethod]
    public async Task EncryptAsync_Always_WritesTheVersion2Layout()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "prod-2026");
        var encryptor = TestMasterKeys.Encryptor(provider);
        var plaintext = new byte[100];

        var ciphertext = await encryptor.EncryptAsync(plaintext, Context);

        Assert.AreEqual(0x02, ciphertext[0]);
        Assert.AreEqual(9, ciphertext[1]);
        Assert.AreEqual("prod-2026", Encoding.ASCII.GetString(ciphertext, 2, 9));
        Assert.HasCount(FixedOverhead + 9 + 100, ciphertext);
        Assert.AreEqual("prod-2026", encryptor.GetMasterKeyId(ciphertext));
    }

    [TestMethod]
    public async Task EncryptAsync_PlaintextOver1MiB_ThrowsArgumentOutOfRange()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(provider);

        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(async () => await encryptor.EncryptAsync(new byte[(1024 * 1024) + 1], Context));
    }

    [TestMethod]
    public async Task EncryptAsync_TableWithLoneSurrogate_ThrowsArgument()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(provider);
        var context = Context with { Table = "keys\uD800" };

        await Assert.ThrowsExactlyAsync<ArgumentException>(async () => await encryptor.EncryptAsync(new byte[1], context));
    }

    [TestMethod]
    [DataRow("wrapNonce", false)]
    [DataRow("wrapNonce", true)]
    [DataRow("wrappedDek", false)]
    [DataRow("wrappedDek", true)]
    [DataRow("wrapTag", false)]
    [DataRow("wrapTag", true)]
    [DataRow("dataNonce", false)]
    [DataRow("dataNonce", true)]
    [DataRow("dataTag", false)]
    [DataRow("dataTag", true)]
    [DataRow("ciphertext", false)]
    [DataRow("ciphertext", true)]
    public async Task DecryptAsync_RegionTampered_ThrowsAuthenticationFailed(string region, bool lastByte)
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "k1");
        var encryptor = TestMasterKeys.Encryptor(provider);
        var ciphertext = await encryptor.EncryptAsync(new byte[48], Context);
        var index = RegionOffset(region, 2) + (lastByte ? RegionLength(region, 48) - 1 : 0);
        ciphertext[index] ^= 0x01;

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(ciphertext, Context));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    [DataRow((byte)0x00)]
    [DataRow((byte)0x03)]
    [DataRow((byte)0xFF)]
    public async Task DecryptAsync_UnknownVersion_ThrowsMalformed(byte version)
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(provider);
        var ciphertext = await encryptor.EncryptAsync(new byte[8], Context);
        ciphertext[0] = version;

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(ciphertext, Context));

        Assert.AreEqual(ErrorCodes.CiphertextMalformed, e.ErrorCode);
        Assert.Contains($"format version is {version}", e.Message);
    }

    [TestMethod]
    [DataRow((byte)0)]
    [DataRow((byte)65)]
    [DataRow((byte)255)]
    public async Task DecryptAsync_IdLengthOutOfRange_ThrowsMalformed(byte idLength)
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(provider);
        var ciphertext = await encryptor.EncryptAsync(new byte[200], Context);
        ciphertext[1] = idLength;

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(ciphertext, Context));

        Assert.AreEqual(ErrorCodes.CiphertextMalformed, e.ErrorCode);
    }

    [TestMethod]
    public async Task DecryptAsync_IdChangedToAnotherAvailableKey_ThrowsAuthenticationFailed()
    {
        var keyB = TestMasterKeys.NewKey();
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "key-a", previous: TestMasterKeys.Previous("key-b", keyB));
        var encryptor = TestMasterKeys.Encryptor(provider);
        var ciphertext = await encryptor.EncryptAsync(new byte[16], Context);
        ciphertext[2 + 4] = (byte)'b';

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(ciphertext, Context));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    public async Task DecryptAsync_IdWithInvalidCharacter_ThrowsMalformed()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "key-a");
        var encryptor = TestMasterKeys.Encryptor(provider);
        var ciphertext = await encryptor.EncryptAsync(new byte[16], Context);
        ciphertext[2] = (byte)'/';

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(ciphertext, Context));

        Assert.AreEqual(ErrorCodes.CiphertextMalformed, e.ErrorCode);
    }

    [TestMethod]
    public async Task DecryptAsync_TruncatedToAnyLengthBelowTheHeader_ThrowsMalformed()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "k1");
        var encryptor = TestMasterKeys.Encryptor(provider);
        var ciphertext = await encryptor.EncryptAsync(new byte[40], Context);
        var headerAndTags = FixedOverhead + 2;

        for (var length = 0; length < headerAndTags; length++)
        {
            var truncated = ciphertext[..length];

            var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(truncated, Context), $"length {length}");

            Assert.AreEqual(ErrorCodes.CiphertextMalformed, e.ErrorCode, $"length {length}");
        }
    }

    [TestMethod]
    public async Task DecryptAsync_TruncatedInsideTheData_ThrowsAuthenticationFailed()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "k1");
        var encryptor = TestMasterKeys.Encryptor(provider);
        var ciphertext = await encryptor.EncryptAsync(new byte[40], Context);

        for (var length = FixedOverhead + 2; length < ciphertext.Length; length++)
        {
            var truncated = ciphertext[..length];

            var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(truncated, Context), $"length {length}");

            Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode, $"length {length}");
        }
    }

    [TestMethod]
    public async Task DecryptAsync_ByteAppended_ThrowsAuthenticationFailed()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(provider);
        var ciphertext = await encryptor.EncryptAsync(new byte[40], Context);

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync((byte[])[.. ciphertext, 0], Context));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    [DataRow("row")]
    [DataRow("column")]
    [DataRow("tenant")]
    [DataRow("table")]
    public async Task DecryptAsync_CiphertextMovedElsewhere_ThrowsAuthenticationFailedSayingMoved(string moved)
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(provider);
        var ciphertext = await encryptor.EncryptAsync(new byte[32], Context);
        var elsewhere = moved switch
        {
            "row" => Context with { RowId = Guid.CreateVersion7() },
            "column" => Context with { Column = "pin" },
            "tenant" => Context with { TenantId = Guid.CreateVersion7() },
            _ => Context with { Table = "hsm_slots" },
        };

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(ciphertext, elsewhere));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
        Assert.Contains("tampered", e.Message);
        Assert.Contains("moved", e.Message);
    }

    [TestMethod]
    public async Task DecryptAsync_TableAndColumnSplitDifferently_ThrowsAuthenticationFailed()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(provider);
        var ciphertext = await encryptor.EncryptAsync(new byte[32], Context with { Table = "ab", Column = "c" });

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(ciphertext, Context with { Table = "a", Column = "bc" }));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    public async Task DecryptAsync_WrongKeyWithTheSameId_ThrowsAuthenticationFailed()
    {
        using var right = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "prod");
        using var wrong = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "prod");
        var ciphertext = await TestMasterKeys.Encryptor(right).EncryptAsync(new byte[32], Context);

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await TestMasterKeys.Encryptor(wrong).DecryptAsync(ciphertext, Context));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    public async Task DecryptAsync_UnknownMasterKeyId_ThrowsNamingTheIdAndTheRemedy()
    {
        using var before = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "retired-2024");
        using var after = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "current-2026");
        var ciphertext = await TestMasterKeys.Encryptor(before).EncryptAsync(new byte[32], Context);

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await TestMasterKeys.Encryptor(after).DecryptAsync(ciphertext, Context));

        Assert.AreEqual(ErrorCodes.MasterKeyUnavailable, e.ErrorCode);
        Assert.Contains("'retired-2024'", e.Message);
        Assert.Contains("KEYINFRA_PREVIOUS_MASTER_KEYS", e.Message);
    }

    [TestMethod]
    public async Task DecryptAsync_AuthenticationFails_MessageContainsNoData()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(provider);
        var plaintext = Encoding.ASCII.GetBytes("TOP-SECRET-PAYLOAD");
        var ciphertext = await encryptor.EncryptAsync(plaintext, Context);
        ciphertext[^1] ^= 0x80;

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(ciphertext, Context));

        Assert.DoesNotContain("TOP-SECRET", e.ToString());
        Assert.DoesNotContain(Convert.ToHexString(ciphertext[^8..]), e.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(ciphertext[^9..]), e.ToString());
    }

    [TestMethod]
    public async Task DecryptAsync_OldKeyConfiguredAsPrevious_Decrypts()
    {
        var oldKey = TestMasterKeys.NewKey();
        using var before = TestMasterKeys.Provider(oldKey, id: "old");
        using var after = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "new", previous: TestMasterKeys.Previous("old", oldKey));
        var plaintext = Encoding.ASCII.GetBytes("rotated but readable");
        var ciphertext = await TestMasterKeys.Encryptor(before).EncryptAsync(plaintext, Context);

        var decrypted = await TestMasterKeys.Encryptor(after).DecryptAsync(ciphertext, Context);

        CollectionAssert.AreEqual(plaintext, decrypted);
    }

    [TestMethod]
    public async Task RewrapAsync_UnderNewKey_KeepsTheDataBytesAndDecryptsWithTheNewKeyAlone()
    {
        var oldKey = TestMasterKeys.NewKey();
        var newKey = TestMasterKeys.NewKey();
        using var before = TestMasterKeys.Provider(oldKey, id: "old");
        using var during = TestMasterKeys.Provider(newKey, id: "new-key-2026", previous: TestMasterKeys.Previous("old", oldKey));
        using var after = TestMasterKeys.Provider(newKey, id: "new-key-2026");
        var plaintext = Encoding.ASCII.GetBytes("re-wrapped, not re-encrypted");
        var original = await TestMasterKeys.Encryptor(before).EncryptAsync(plaintext, Context);

        var rewrapped = await TestMasterKeys.Encryptor(during).RewrapAsync(original, Context);

        var encryptor = TestMasterKeys.Encryptor(after);
        Assert.AreEqual("new-key-2026", encryptor.GetMasterKeyId(rewrapped));
        // dataNonce | dataTag | ciphertext, from the end of the wrap tag on, moved over byte for byte.
        CollectionAssert.AreEqual(original[RegionOffset("dataNonce", 3)..], rewrapped[RegionOffset("dataNonce", 12)..]);
        CollectionAssert.AreEqual(plaintext, await encryptor.DecryptAsync(rewrapped, Context));
        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await encryptor.DecryptAsync(original, Context));
        Assert.AreEqual(ErrorCodes.MasterKeyUnavailable, e.ErrorCode);
    }

    [TestMethod]
    public async Task RewrapAsync_AlreadyUnderTheCurrentKey_ReturnsTheSameBytes()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(provider);
        var ciphertext = await encryptor.EncryptAsync(new byte[32], Context);

        var rewrapped = await encryptor.RewrapAsync(ciphertext, Context);

        CollectionAssert.AreEqual(ciphertext, rewrapped);
    }

    [TestMethod]
    public async Task RewrapAsync_CiphertextMovedToAnotherRow_ThrowsAuthenticationFailed()
    {
        var oldKey = TestMasterKeys.NewKey();
        using var before = TestMasterKeys.Provider(oldKey, id: "old");
        using var during = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "new", previous: TestMasterKeys.Previous("old", oldKey));
        var ciphertext = await TestMasterKeys.Encryptor(before).EncryptAsync(new byte[32], Context);

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(
            async () => await TestMasterKeys.Encryptor(during).RewrapAsync(ciphertext, Context with { RowId = Guid.CreateVersion7() }));

        Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, e.ErrorCode);
    }

    [TestMethod]
    public async Task RewrapAsync_OldKeyNotConfigured_ThrowsUnavailable()
    {
        using var before = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "old");
        using var after = TestMasterKeys.Provider(TestMasterKeys.NewKey(), id: "new");
        var ciphertext = await TestMasterKeys.Encryptor(before).EncryptAsync(new byte[32], Context);

        var e = await Assert.ThrowsExactlyAsync<EncryptedDataException>(async () => await TestMasterKeys.Encryptor(after).RewrapAsync(ciphertext, Context));

        Assert.AreEqual(ErrorCodes.MasterKeyUnavailable, e.ErrorCode);
        Assert.Contains("'old'", e.Message);
    }

    [TestMethod]
    public void GetMasterKeyId_Truncated_ThrowsMalformed()
    {
        using var provider = TestMasterKeys.Provider(TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(provider);

        var e = Assert.ThrowsExactly<EncryptedDataException>(() => encryptor.GetMasterKeyId([0x01, 0x02, (byte)'a', (byte)'b']));

        Assert.AreEqual(ErrorCodes.CiphertextMalformed, e.ErrorCode);
    }

    [TestMethod]
    public async Task EncryptAsync_SourceRefreshesBetweenAcquireAndWrap_WrapsUnderTheLeasedKeyIntactAndZeroesItAfter()
    {
        var oldBytes = TestMasterKeys.NewKey();
        using var source = new SwitchableMasterKeySource("old", oldBytes);
        var gate = new GatedKeyProvider(source);
        var plaintext = Encoding.ASCII.GetBytes("wrapped while the ring was replaced");

        // The encryption leases the old ring and waits at the gate; the source publishes a new ring meanwhile.
        var encryption = TestMasterKeys.Encryptor(gate).EncryptAsync(plaintext, Context).AsTask();
        await gate.Acquired;
        source.Rotate();
        var oldKey = source.Rings[0][0];
        var zeroedWhileLeased = SwitchableMasterKeySource.IsZeroed(oldKey);
        gate.Open();
        var ciphertext = await encryption;

        Assert.IsFalse(zeroedWhileLeased);
        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(oldKey));
        Assert.AreEqual("old", TestMasterKeys.Encryptor(source).GetMasterKeyId(ciphertext));
        // Only the real old key bytes open it: the wrap was not made under zeroed or other bytes.
        using var original = TestMasterKeys.Provider(oldBytes, id: "old");
        CollectionAssert.AreEqual(plaintext, await TestMasterKeys.Encryptor(original).DecryptAsync(ciphertext, Context));
        CollectionAssert.AreEqual(plaintext, await TestMasterKeys.Encryptor(source).DecryptAsync(ciphertext, Context));
    }

    [TestMethod]
    public async Task DecryptAsync_SourceRefreshesBetweenAcquireAndUnwrap_OpensWithTheLeasedRing()
    {
        using var source = new SwitchableMasterKeySource("only", TestMasterKeys.NewKey());
        var ciphertext = await TestMasterKeys.Encryptor(source).EncryptAsync(new byte[32], Context);
        var gate = new GatedKeyProvider(source);

        var decryption = TestMasterKeys.Encryptor(gate).DecryptAsync(ciphertext, Context).AsTask();
        await gate.Acquired;
        // The new ring drops the key entirely; the decryption still holds the ring that has it.
        source.MakeCurrent("only", TestMasterKeys.NewKey());
        gate.Open();

        CollectionAssert.AreEqual(new byte[32], await decryption);
        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(source.Rings[0][0]));
    }

    [TestMethod]
    public async Task EncryptAndDecrypt_ManyInParallelWhileTheSourceRefreshesRepeatedly_AllRoundTrip()
    {
        const int Workers = 8;
        const int OperationsPerWorker = 60;
        using var source = new SwitchableMasterKeySource("gen-0", TestMasterKeys.NewKey());
        var encryptor = TestMasterKeys.Encryptor(source);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            await start.Task;
            var failures = new List<string>();
            var earlier = new List<(byte[] Plaintext, byte[] Ciphertext)>();
            for (var i = 0; i < OperationsPerWorker; i++)
            {
                var plaintext = Encoding.ASCII.GetBytes($"worker {worker} secret {i}");
                var ciphertext = await encryptor.EncryptAsync(plaintext, Context);
                earlier.Add((plaintext, ciphertext));

                // Every worker refreshes the source every third operation, so rings are replaced under the others.
                if (i % 3 == 0)
                {
                    source.Rotate();
                }

                // Decrypt something older too: its key is in the ring only as a previous key by now.
                var (oldPlaintext, oldCiphertext) = earlier[i / 2];
                if (!(await encryptor.DecryptAsync(ciphertext, Context)).AsSpan().SequenceEqual(plaintext)
                    || !(await encryptor.DecryptAsync(oldCiphertext, Context)).AsSpan().SequenceEqual(oldPlaintext))
                {
                    failures.Add($"worker {worker}, operation {i}");
                }
            }

            return failures;
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(workers);

        Assert.IsEmpty(results.SelectMany(f => f));
        Assert.AreEqual(1 + (Workers * (OperationsPerWorker / 3)), source.RingCount);
        // No lease is left behind: every ring but the current one has been zeroed.
        var rings = source.Rings;
        Assert.IsTrue(rings.Take(rings.Count - 1).All(r => r.All(SwitchableMasterKeySource.IsZeroed)));
        Assert.IsFalse(rings[^1].Any(SwitchableMasterKeySource.IsZeroed));
    }
}
