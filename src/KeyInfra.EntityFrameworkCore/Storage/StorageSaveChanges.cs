using System.Runtime.ExceptionServices;
using KeyInfra.Errors;
using Microsoft.EntityFrameworkCore;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// <c>SaveChanges</c> that lets a provider's typed storage error through: a provider's command interceptor turns a
/// damaged or unreachable file into a <see cref="KeyInfraException"/> (KI4701, KI4702, ...), and EF Core would wrap it in
/// a <see cref="DbUpdateException"/> that callers are not told to expect.
/// </summary>
internal static class StorageSaveChanges
{
    /// <summary>Saves; a failure that is already KeyInfra's typed error is rethrown as it is.</summary>
    public static async Task SaveChangesOrStorageErrorAsync(this DbContext context, CancellationToken cancellationToken)
    {
        try
        {
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (e.InnerException is KeyInfraException typed)
        {
            ExceptionDispatchInfo.Capture(typed).Throw();
            throw;
        }
    }
}
