using KeyInfra.Storage;

namespace KeyInfra.Core.Tests.Storage;

[TestClass]
public sealed class HsmRecordTests
{
    [TestMethod]
    public void HsmSlotRecordToString_WithPinCiphertext_NeverPrintsIt()
    {
        // A ciphertext whose bytes would show in any of the usual renderings (hex, Base64).
        byte[] pin = [0xDE, 0xAD, 0xBE, 0xEF, 0x42, 0x42, 0x42, 0x42];
        var slot = new HsmSlotRecord(Guid.CreateVersion7(), Guid.NewGuid(), "payments", Guid.CreateVersion7(), "token-1", null, pin, "mk-1", DateTimeOffset.UtcNow);

        var text = slot.ToString();

        StringAssert.Contains(text, "payments");
        StringAssert.Contains(text, "token-1");
        StringAssert.Contains(text, "mk-1");
        Assert.DoesNotContain("DEADBEEF", text.ToUpperInvariant());
        Assert.DoesNotContain(Convert.ToBase64String(pin), text);
        Assert.DoesNotContain("Byte[]", text);
    }

    [TestMethod]
    public void HsmSlotRecordToString_TokenBySerial_NamesTheSerial()
    {
        var slot = new HsmSlotRecord(Guid.CreateVersion7(), Guid.NewGuid(), "payments", Guid.CreateVersion7(), null, "0123456789abcdef", [1, 2, 3], "mk-1", DateTimeOffset.UtcNow);

        StringAssert.Contains(slot.ToString(), "serial '0123456789abcdef'");
    }

    [TestMethod]
    public void PrivateKeyRecordToString_InAnHsmSlot_NamesTheSlotNotTheReference()
    {
        var slotId = Guid.CreateVersion7();
        var record = new PrivateKeyRecord(PrivateKeyProtection.Hsm, [0xDE, 0xAD, 0xBE, 0xEF], null) { Backend = "pkcs11", HsmSlotId = slotId };

        var text = record.ToString();

        StringAssert.Contains(text, slotId.ToString());
        StringAssert.Contains(text, "4 bytes");
        Assert.DoesNotContain("DEADBEEF", text.ToUpperInvariant());
    }
}
