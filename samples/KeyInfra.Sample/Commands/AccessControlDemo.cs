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
/// as <see cref="VerificationStatus.AccessDenied"/>.
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
        return new { user = user.Username, caller = user.ToCaller().StableId, ownKey = own.Id, ownStatus, signOthers = signDenied, verifyOthers = othersStatus };
    }
}
