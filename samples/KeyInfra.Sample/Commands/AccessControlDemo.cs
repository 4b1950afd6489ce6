using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Errors;
using KeyInfra.Identity;
using KeyInfra.Keys;
using KeyInfra.Sample.Output;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// The demo's access-control part: a user with the built-in <c>user</c> role makes, signs with and verifies its own key,
/// and is refused the demo's keys, which it does not own: a signature is denied (KI5001) and a verification is recorded
/// as <see cref="VerificationStatus.AccessDenied"/>. The operator then reads the audit trail: the user's decisions,
/// the denied one among them, and the changes it made.
/// </summary>
internal static class AccessControlDemo
{
    public const string Username = "demo-user";

    public static async Task<object> RunAsync(
        IServiceProvider services, KeyInfo othersKey, byte[] othersSignature, byte[] document, string stamp, TextWriter output, List<string> surprises, CancellationToken cancellationToken)
    {
        var users = CommandContext.Get<IUserStore>(services);
        var user = await users.FindAsync(Username, cancellationToken)
            ?? await users.CreateAsync(new CreateUserRequest { Username = Username, Roles = [KeyInfraRoles.User] }, cancellationToken);
        output.WriteLine($"Acting as user '{user.Username}' ({user.ToCaller().StableId}), roles: {string.Join(", ", user.Roles)}.");

        var callers = CommandContext.Get<AsyncLocalCallerContext>(services);
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var scope = callers.Use(user.ToCaller());
        var store = CommandContext.Get<IKeyStore>(services);
        var own = await store.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, $"demo-user's key {stamp}"), cancellationToken);
        var signature = (await CommandContext.Get<ISigner>(services).SignAsync(new SignRequest(own.Id, document), cancellationToken)).Signature;
        var ownStatus = await DemoCommand.VerifyAsync(CommandContext.Get<IVerifier>(services), own.Id, document, signature, VerificationStatus.Valid, surprises, cancellationToken);
        output.WriteLine($"Own key {own.Id} (owner {own.Owner}): signs, and verifies as {ownStatus}.");

        string signDenied;
        try
        {
            await CommandContext.Get<ISigner>(services).SignAsync(new SignRequest(othersKey.Id, document), cancellationToken);
            signDenied = "allowed";
            surprises.Add($"the user signed with key {othersKey.Id}, which it does not own.");
        }
        catch (AccessDeniedException denied)
        {
            signDenied = denied.ErrorCode;
        }

        var othersStatus = await DemoCommand.VerifyAsync(CommandContext.Get<IVerifier>(services), othersKey.Id, document, othersSignature, VerificationStatus.AccessDenied, surprises, cancellationToken);
        output.WriteLine($"The demo's key {othersKey.Id} (owner {othersKey.Owner}): signing is denied ({signDenied}); verifying is recorded as {othersStatus}.");

        var trail = await CommandContext.Get<IVerificationLog>(services).QueryAsync(new VerificationLogQuery { KeyId = own.Id, PageSize = 5 }, cancellationToken);
        output.WriteLine("The user's own key in the log:");
        VerificationRecordView.Table(trail.Items).Write(output);

        // Back to the operator: a 'user' may not read the audit logs (read_audit).
        using var operatorScope = callers.Use(Hosting.CliCallerContext.Operator);
        var audit = CommandContext.Get<IAuditTrail>(services);
        await audit.FlushAsync(cancellationToken);
        var decisions = await audit.QueryDataPlaneAsync(new AuditQuery { ActorId = user.ToCaller().StableId, From = started, PageSize = 20 }, cancellationToken);
        var changes = await audit.QueryControlPlaneAsync(new AuditQuery { ActorId = user.ToCaller().StableId, From = started, PageSize = 20 }, cancellationToken);
        output.WriteLine($"The audit trail of '{user.Username}' in this run ('audit list --plane data --actor {user.ToCaller().StableId}'):");
        var table = new TableWriter("log", "action", "decision / target", "key / id", "reason");
        foreach (var d in decisions.Records)
        {
            table.AddRow("data", d.Action, d.Decision == AuditDecision.Allow ? "allow" : "deny", d.KeyId?.ToString() ?? "-", d.Reason ?? "-");
        }

        foreach (var c in changes.Records)
        {
            table.AddRow("control", c.Action, c.TargetType, c.TargetId ?? "-", "-");
        }

        table.Write(output);
        var denials = decisions.Records.Count(d => d.Decision == AuditDecision.Deny);
        if (denials == 0)
        {
            surprises.Add("the data-plane audit log holds no denial of the user's refused signature.");
        }

        return new { user = user.Username, caller = user.ToCaller().StableId, ownKey = own.Id, ownStatus, signOthers = signDenied, verifyOthers = othersStatus, auditDecisions = decisions.Records.Count, auditDenials = denials, auditChanges = changes.Records.Count };
    }
}
