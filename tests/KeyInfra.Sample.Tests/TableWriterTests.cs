using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Tests;

[TestClass]
public sealed class TableWriterTests
{
    [TestMethod]
    public void Write_CellsOfDifferentWidths_AlignsColumnsWithoutTrailingSpaces()
    {
        // Arrange
        var table = new TableWriter("ID", "NAME", "STATUS")
            .AddRow("1", "a rather long name", "Active")
            .AddRow("1234", null, "Revoked");
        using var writer = new StringWriter();

        // Act
        table.Write(writer);

        // Assert
        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(4, lines);
        Assert.AreEqual("ID    NAME                STATUS", lines[0]);
        Assert.AreEqual("----  ------------------  -------", lines[1]);
        Assert.AreEqual("1     a rather long name  Active", lines[2]);
        Assert.AreEqual("1234  -                   Revoked", lines[3]);
    }

    [TestMethod]
    public void AddRow_WrongCellCount_Throws()
    {
        // Arrange
        var table = new TableWriter("A", "B");

        // Act / Assert
        Assert.ThrowsExactly<ArgumentException>(() => table.AddRow("only one"));
    }
}
