using Microsoft.EntityFrameworkCore;

namespace KeyInfra.EntityFrameworkCore.Configurations;

/// <summary>Applies KeyInfra's entity configurations to a model.</summary>
internal static class KeyInfraModelBuilderExtensions
{
    /// <summary>Adds KeyInfra's tables, relationships, indexes and reference data to <paramref name="modelBuilder"/>.</summary>
    public static ModelBuilder ApplyKeyInfraModel(this ModelBuilder modelBuilder)
    {
        return modelBuilder
            .ApplyConfiguration(new AlgorithmConfiguration())
            .ApplyConfiguration(new CurveConfiguration())
            .ApplyConfiguration(new PublicKeyConfiguration())
            .ApplyConfiguration(new PrivateKeyConfiguration())
            .ApplyConfiguration(new MasterKeyConfiguration())
            .ApplyConfiguration(new VerificationRecordConfiguration())
            .ApplyConfiguration(new BatchVerificationConfiguration())
            .ApplyConfiguration(new BatchVerificationItemConfiguration());
    }
}
