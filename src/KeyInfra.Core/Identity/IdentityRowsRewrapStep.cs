using KeyInfra.Encryption.Rotation;
using KeyInfra.RowAuthentication;
using KeyInfra.Storage;

namespace KeyInfra.Identity;

/// <summary>
/// The re-wrap step of the rows that decide access (<see cref="MasterKeyRewrapSteps.IdentityRows"/>): the curves'
/// statuses, then tenant by tenant
/// every user, application, credential, role grant and assignment whose MAC an older master key made is checked under
/// that key and sealed again under the current one, each row on its own (a compare-and-set: a row changed meanwhile is
/// left for the next run). A row that fails its check is counted as failed and left as it is, never vouched for.
/// </summary>
internal sealed class IdentityRowsRewrapStep(IdentityRows rows, IdentityRowAuthenticator authenticator) : IMasterKeyRewrapStep
{
    private const int PageSize = 500;

    public string Name => MasterKeyRewrapSteps.IdentityRows;

    public async Task<MasterKeyRewrapStepResult> RewrapAsync(IProgress<MasterKeyRewrapStepResult>? progress, CancellationToken cancellationToken)
    {
        var current = await authenticator.CurrentMasterKeyIdAsync(cancellationToken).ConfigureAwait(false);
        var counts = new RewrapStepCounts(Name, progress);
        if (current is null)
        {
            return counts.Result;
        }

        var repository = rows.Repository;

        // The curves' statuses first (the deployment's, not a tenant's); the migration's rows have no MAC to move.
        foreach (var curve in await repository.ListCurvesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (curve.RowMac is not null && curve.RowMacMasterKeyId != current)
            {
                var authentic = await rows.IsAuthenticAsync(curve, cancellationToken).ConfigureAwait(false);
                counts.Add(authentic && await repository.UpdateCurveAsync(await rows.SealAsync(curve with { Version = curve.Version + 1 }, cancellationToken).ConfigureAwait(false), curve.Version, cancellationToken).ConfigureAwait(false), !authentic);
            }
        }

        foreach (var tenantId in await repository.ListTenantsAsync(cancellationToken).ConfigureAwait(false))
        {
            await foreach (var user in KeysetPages.ReadAllAsync((after, token) => repository.ListUsersAsync(tenantId, after, PageSize, token), u => u.Id, PageSize, cancellationToken).ConfigureAwait(false))
            {
                if (user.RowMacMasterKeyId != current)
                {
                    var authentic = await rows.CheckAsync(user, cancellationToken).ConfigureAwait(false);
                    counts.Add(authentic is not null && await repository.UpdateUserAsync(await rows.SealAsync(authentic, cancellationToken).ConfigureAwait(false), user.Version, cancellationToken).ConfigureAwait(false), authentic is null);
                }

                await AssignmentsAsync(tenantId, PrincipalKind.User, user.Id, current, counts, cancellationToken).ConfigureAwait(false);
            }

            await foreach (var application in KeysetPages.ReadAllAsync((after, token) => repository.ListApplicationsAsync(tenantId, after, PageSize, token), a => a.Id, PageSize, cancellationToken).ConfigureAwait(false))
            {
                if (application.RowMacMasterKeyId != current)
                {
                    var authentic = await rows.CheckAsync(application, cancellationToken).ConfigureAwait(false);
                    counts.Add(authentic is not null && await repository.UpdateApplicationAsync(await rows.SealAsync(authentic, cancellationToken).ConfigureAwait(false), application.Version, cancellationToken).ConfigureAwait(false), authentic is null);
                }

                await AssignmentsAsync(tenantId, PrincipalKind.Application, application.Id, current, counts, cancellationToken).ConfigureAwait(false);
                foreach (var credential in await repository.ListCredentialsAsync(tenantId, application.Id, cancellationToken).ConfigureAwait(false))
                {
                    if (credential.RowMacMasterKeyId != current)
                    {
                        var authentic = await rows.CheckAsync(credential, cancellationToken).ConfigureAwait(false);
                        counts.Add(authentic is not null && await repository.UpdateCredentialAsync(await rows.SealAsync(authentic, cancellationToken).ConfigureAwait(false), credential.Version, cancellationToken).ConfigureAwait(false), authentic is null);
                    }
                }
            }

            foreach (var grant in await repository.ListRoleGrantsAsync(tenantId, cancellationToken).ConfigureAwait(false))
            {
                if (grant.RowMacMasterKeyId != current)
                {
                    var authentic = await rows.IsAuthenticAsync(grant, cancellationToken).ConfigureAwait(false);
                    counts.Add(authentic && grant.RowMac is { } mac && await repository.UpdateRoleGrantMacAsync(await rows.SealAsync(grant, cancellationToken).ConfigureAwait(false), mac, cancellationToken).ConfigureAwait(false), !authentic);
                }
            }
        }

        return counts.Result;
    }

    private async Task AssignmentsAsync(Guid tenantId, PrincipalKind kind, Guid principalId, string current, RewrapStepCounts counts, CancellationToken cancellationToken)
    {
        foreach (var assignment in await rows.Repository.ListRoleAssignmentsAsync(tenantId, kind, principalId, cancellationToken).ConfigureAwait(false))
        {
            if (assignment.RowMacMasterKeyId != current)
            {
                var authentic = await rows.IsAuthenticAsync(assignment, cancellationToken).ConfigureAwait(false);
                counts.Add(authentic && assignment.RowMac is { } mac && await rows.Repository.UpdateRoleAssignmentMacAsync(await rows.SealAsync(assignment, cancellationToken).ConfigureAwait(false), mac, cancellationToken).ConfigureAwait(false), !authentic);
            }
        }
    }
}
