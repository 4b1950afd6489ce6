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

    /// <summary>
    /// Saves an insert that another writer's row may clash with (a unique name, a parent removed meanwhile). Providers
    /// report the violated constraint differently, so on a failed update <paramref name="clash"/> looks for what the
    /// insert clashed with and returns the error that says so, which is thrown in place of the provider's (the failed
    /// command is then not logged as an error); when it finds nothing, the failure is logged and rethrown as it is.
    /// </summary>
    public static async Task SaveChangesOrClashAsync(this DbContext context, Func<Task<Exception?>> clash, CancellationToken cancellationToken)
    {
        var expected = CommandFailureInterceptor.ExpectFailure();
        try
        {
            await context.SaveChangesOrStorageErrorAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            expected.Dispose();
            if (await clash().ConfigureAwait(false) is { } explained)
            {
                throw explained;
            }

            expected.NotHandled();
            throw;
        }
        finally
        {
            expected.Dispose();
        }
    }
}
