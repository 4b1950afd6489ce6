using System.CommandLine;
using KeyInfra.Errors;
using KeyInfra.Identity;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// <c>apps add|list|show|disable|enable</c>, <c>apps roles add|remove</c> and <c>apps credentials add|list|revoke|check</c>:
/// the tenant's applications and their client credentials. A new secret is printed once and never stored.
/// </summary>
internal static class AppsCommand
{
    public static Command Create(CliSession session)
        => new("apps", "Applications (services that call with their own client credentials), their roles and credentials.")
        {
            Add(session),
            List(session),
            Show(session),
            SetStatus(session, "disable", ApplicationStatus.Disabled, "Switch an application off: its credentials fail and its calls are denied."),
            SetStatus(session, "enable", ApplicationStatus.Active, "Let a disabled application act again."),
            new Command("roles", "Give an application a role, or take one away.") { Role(session, add: true), Role(session, add: false) },
            new Command("credentials", "An application's client credentials: several may be live, so a secret rotates without downtime.")
            {
                AddCredential(session),
                ListCredentials(session),
                RevokeCredential(session),
                CheckCredential(session),
            },
        };

    private static Command Add(CliSession session)
    {
        var name = new Argument<string>("name") { Description = "The application's name, unique in the tenant." };
        var description = new Option<string?>("--description") { Description = "What the application is." };
        var roles = new Option<string[]>("--role") { Description = "A role to give (repeatable); default user." };
        var command = new Command("add", "Register an application.") { name, description, roles };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var given = parse.GetValue(roles) is { Length: > 0 } r ? r : [KeyInfra.Authorization.KeyInfraRoles.User];
            var app = await CommandContext.Get<IApplicationStore>(services).CreateAsync(
                new CreateApplicationRequest { Name = parse.GetRequiredValue(name), Description = parse.GetValue(description), Roles = given }, ct);
            Print(context, [app], single: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliSession session)
    {
        var command = new Command("list", "List the tenant's applications (the first 1,000).");
        CommandRunner.SetHandler(command, session, async (_, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            Print(context, await CommandContext.Get<IApplicationStore>(services).ListAsync(pageSize: 1000, cancellationToken: ct), single: false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliSession session)
    {
        var name = new Argument<string>("app") { Description = "The application's name or id." };
        var command = new Command("show", "Show one application and its credentials.") { name };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var apps = CommandContext.Get<IApplicationStore>(services);
            var app = await FindAsync(apps, parse.GetRequiredValue(name), ct);
            var credentials = await apps.ListCredentialsAsync(app.Id, ct);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new { application = app, credentials });
                return ExitCodes.Success;
            }

            Print(context, [app], single: true);
            PrintCredentials(context, credentials);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command SetStatus(CliSession session, string verb, ApplicationStatus status, string description)
    {
        var name = new Argument<string>("app") { Description = "The application's name or id." };
        var command = new Command(verb, description) { name };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var apps = CommandContext.Get<IApplicationStore>(services);
            var app = await FindAsync(apps, parse.GetRequiredValue(name), ct);
            Print(context, [await apps.SetStatusAsync(app.Id, status, ct)], single: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Role(CliSession session, bool add)
    {
        var name = new Argument<string>("app") { Description = "The application's name or id." };
        var role = new Argument<string>("role") { Description = "The role." };
        var command = new Command(add ? "add" : "remove", add ? "Give an application a role." : "Take a role from an application.") { name, role };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var apps = CommandContext.Get<IApplicationStore>(services);
            var app = await FindAsync(apps, parse.GetRequiredValue(name), ct);
            var changed = add ? await apps.AddRoleAsync(app.Id, parse.GetRequiredValue(role), ct) : await apps.RemoveRoleAsync(app.Id, parse.GetRequiredValue(role), ct);
            Print(context, [changed], single: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command AddCredential(CliSession session)
    {
        var name = new Argument<string>("app") { Description = "The application's name or id." };
        var expires = new Option<string?>("--expires") { Description = "When the credential stops working (ISO 8601, UTC); default never.", HelpName = "time" };
        var command = new Command("add", "Make a new client id and secret. The secret is printed this once: KeyInfra keeps only its hash.") { name, expires };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var apps = CommandContext.Get<IApplicationStore>(services);
            var app = await FindAsync(apps, parse.GetRequiredValue(name), ct);
            var expiry = parse.GetValue(expires) is { } text ? InputParser.ParseTimestamp(text, "--expires") : (DateTimeOffset?)null;
            var created = await apps.AddCredentialAsync(app.Id, expiry, ct);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new { credential = created.Credential, secret = created.Secret });
                return ExitCodes.Success;
            }

            context.Output.WriteLine($"client id: {created.Credential.ClientId}");
            context.Output.WriteLine($"secret:    {created.Secret}");
            context.Output.WriteLine("The secret is shown this once and is not stored; hand it to the application over a secure channel.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListCredentials(CliSession session)
    {
        var name = new Argument<string>("app") { Description = "The application's name or id." };
        var command = new Command("list", "List an application's credentials (never their secrets).") { name };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var apps = CommandContext.Get<IApplicationStore>(services);
            var credentials = await apps.ListCredentialsAsync((await FindAsync(apps, parse.GetRequiredValue(name), ct)).Id, ct);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new { items = credentials });
                return ExitCodes.Success;
            }

            PrintCredentials(context, credentials);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RevokeCredential(CliSession session)
    {
        var name = new Argument<string>("app") { Description = "The application's name or id." };
        var clientId = new Argument<string>("client-id") { Description = "The credential's client id." };
        var command = new Command("revoke", "Revoke a credential for good.") { name, clientId };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var apps = CommandContext.Get<IApplicationStore>(services);
            var app = await FindAsync(apps, parse.GetRequiredValue(name), ct);
            var wanted = parse.GetRequiredValue(clientId);
            var credential = (await apps.ListCredentialsAsync(app.Id, ct)).FirstOrDefault(c => c.ClientId == wanted)
                ?? throw new KeyInfraException(ErrorCodes.CredentialNotFound, $"Application '{app.Name}' has no credential with client id '{InputParser.Shorten(wanted)}'. Run 'apps credentials list {app.Name}'.");
            var revoked = await apps.RevokeCredentialAsync(app.Id, credential.Id, ct);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, revoked);
                return ExitCodes.Success;
            }

            PrintCredentials(context, [revoked]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CheckCredential(CliSession session)
    {
        var clientId = new Argument<string>("client-id") { Description = "The client id." };
        var secretEnv = new Option<string>("--secret-env") { Description = "Read the secret from this environment variable.", HelpName = "variable", Required = true };
        var command = new Command("check", "Check a client id and secret as a host would when an application calls; exit code 0 if it checks out, 1 if not.") { clientId, secretEnv };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var variable = parse.GetRequiredValue(secretEnv);
            var secret = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
                ? value
                : throw new UsageException($"--secret-env: the environment variable {InputParser.Shorten(variable)} is not set or is empty.");
            var services = await context.StartAsync(ct);
            var result = await CommandContext.Get<IApplicationStore>(services).VerifyCredentialAsync(parse.GetRequiredValue(clientId), secret, ct);
            context.Output.WriteLine(result.Succeeded ? $"ok: {result.Caller!.StableId}" : "refused");
            return result.Succeeded ? ExitCodes.Success : ExitCodes.NotValid;
        });
        return command;
    }

    private static async Task<ApplicationInfo> FindAsync(IApplicationStore apps, string nameOrId, CancellationToken cancellationToken)
        => (Guid.TryParse(nameOrId, out var id) ? await apps.GetAsync(id, cancellationToken) : null)
            ?? await apps.FindAsync(nameOrId, cancellationToken)
            ?? throw new KeyInfraException(ErrorCodes.ApplicationNotFound, $"There is no application '{InputParser.Shorten(nameOrId)}' in this tenant. Run 'apps list' to see them.");

    private static void Print(CommandContext context, IReadOnlyList<ApplicationInfo> apps, bool single)
    {
        if (context.Json)
        {
            if (single)
            {
                JsonOutput.Write(context.Output, apps[0]);
            }
            else
            {
                JsonOutput.Write(context.Output, new { items = apps });
            }

            return;
        }

        var table = new TableWriter("ID", "NAME", "STATUS", "ROLES", "CREATED");
        foreach (var app in apps)
        {
            table.AddRow(app.Id.ToString(), app.Name, app.Status.ToString(), string.Join(",", app.Roles), Formats.Time(app.CreatedAt));
        }

        table.Write(context.Output);
    }

    private static void PrintCredentials(CommandContext context, IReadOnlyList<ApplicationCredentialInfo> credentials)
    {
        var table = new TableWriter("CLIENT ID", "CREATED", "EXPIRES", "LAST USED", "REVOKED");
        foreach (var credential in credentials)
        {
            table.AddRow(credential.ClientId, Formats.Time(credential.CreatedAt), Formats.Time(credential.ExpiresAt), Formats.Time(credential.LastUsedAt), Formats.Time(credential.RevokedAt));
        }

        table.Write(context.Output);
    }
}
