using System.Text.RegularExpressions;
using KeyInfra.Sample.Hosting;

namespace KeyInfra.Sample.Tests;

/// <summary>The development docker-compose.yml tells a developer how to point the sample at its server.</summary>
[TestClass]
public sealed partial class DockerComposeFileTests
{
    [TestMethod]
    public void Comment_ExportedVariable_IsTheOneTheSampleReads()
    {
        // Arrange
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docker-compose.yml"));

        // Act
        var exported = ExportPattern().Matches(text).Select(m => m.Groups[1].Value).ToList();

        // Assert
        CollectionAssert.AreEqual(new[] { SampleHost.PostgreSqlVariable }, exported, string.Join(", ", exported));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KeyInfra.sln")))
            {
                return directory.FullName;
            }
        }

        throw new AssertFailedException("KeyInfra.sln not found above the test's folder.");
    }

    [GeneratedRegex(@"^#\s+export\s+([A-Z_]+)=", RegexOptions.Multiline)]
    private static partial Regex ExportPattern();
}
