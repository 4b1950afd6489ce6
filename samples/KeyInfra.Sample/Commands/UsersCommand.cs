using System.CommandLine;
using KeyInfra.Errors;
using KeyInfra.Identity;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// <c>users add|list|show|disable|enable|passwd</c> and <c>users roles add|remove</c>: the current tenant's users. A
/// password is read from an environment variable (<c>--password-env</c>), never from an argument, and only its hash is stored.
/// </summary>
internal static class UsersCommand
{
    public static Command Create(CliSession session)
        => new("users", "The tenant's users: who they are, their status and roles (docs/access-control.md).")
        {
            Add(session),
            List(session),
            Show(session),
            SetStatus(session, "disable", UserStatus.Inactive, "Switch a user off: every call the user makes is denied."),
            SetStatus(session, "suspend", UserStatus.Suspended, "Suspend a user (while an incident is looked into): every call is denied."),
            SetStatus(session, "enable", UserStatus.Active, "Let a disabled or suspended user act again."),
            Password(session),
            new Command("roles", "Give a user a role, or take one away.") { Role(session, add: true), Role(session, add: false) },
        };

    private static Command Add(CliSession session)
    {
        var name = new Argument<string>("username") { Description = "The user name, unique in the tenant." };
        var email = new Option<string?>("--email") { Description = "The e-mail address, unique in the tenant." };
        var roles = new Option<string[]>("--role") { Description = "A role to give (repeatable); default user.", AllowMultipleArgumentsPerToken = false };
        var passwordEnv = new Option<string?>("--password-env") { Description = "Read a password for the user from this environment variable (never give it as an argument).", HelpName = "variable" };
        var command = new Command("add", "Add a user.") { name, email, roles, passwordEnv };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var given = parse.GetValue(roles) is { Length: > 0 } r ? r : [KeyInfra.Authorization.KeyInfraRoles.User];
            var user = await CommandContext.Get<IUserStore>(services).CreateAsync(
                new CreateUserRequest { Username = parse.GetRequiredValue(name), Email = parse.GetValue(email), Password = ReadPassword(parse.GetValue(passwordEnv)), Roles = given }, ct);
            Print(context, [user], single: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliSession session)
    {
        var command = new Command("list", "List the tenant's users (the first 1,000).");
        CommandRunner.SetHandler(command, session, async (_, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            Print(context, await CommandContext.Get<IUserStore>(services).ListAsync(pageSize: 1000, cancellationToken: ct), single: false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliSession session)
    {
        var name = new Argument<string>("user") { Description = "The user's name or id." };
        var command = new Command("show", "Show one user.") { name };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            Print(context, [await FindAsync(CommandContext.Get<IUserStore>(services), parse.GetRequiredValue(name), ct)], single: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command SetStatus(CliSession session, string verb, UserStatus status, string description)
    {
        var name = new Argument<string>("user") { Description = "The user's name or id." };
        var command = new Command(verb, description) { name };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var users = CommandContext.Get<IUserStore>(services);
            var user = await FindAsync(users, parse.GetRequiredValue(name), ct);
            Print(context, [await users.SetStatusAsync(user.Id, status, ct)], single: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Password(CliSession session)
    {
        var name = new Argument<string>("user") { Description = "The user's name or id." };
        var passwordEnv = new Option<string?>("--password-env") { Description = "Read the new password from this environment variable.", HelpName = "variable", Required = true };
        var command = new Command("passwd", "Set a user's password (hashed with PBKDF2-SHA256; the password itself is never stored).") { name, passwordEnv };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var users = CommandContext.Get<IUserStore>(services);
            var user = await FindAsync(users, parse.GetRequiredValue(name), ct);
            Print(context, [await users.SetPasswordAsync(user.Id, ReadPassword(parse.GetValue(passwordEnv)), ct)], single: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Role(CliSession session, bool add)
    {
        var name = new Argument<string>("user") { Description = "The user's name or id." };
        var role = new Argument<string>("role") { Description = "The role." };
        var command = new Command(add ? "add" : "remove", add ? "Give a user a role." : "Take a role from a user.") { name, role };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var users = CommandContext.Get<IUserStore>(services);
            var user = await FindAsync(users, parse.GetRequiredValue(name), ct);
            var changed = add
                ? await users.AddRoleAsync(user.Id, parse.GetRequiredValue(role), ct)
                : await users.RemoveRoleAsync(user.Id, parse.GetRequiredValue(role), ct);
            Print(context, [changed], single: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<UserInfo> FindAsync(IUserStore users, string nameOrId, CancellationToken cancellationToken)
        => (Guid.TryParse(nameOrId, out var id) ? await users.GetAsync(id, cancellationToken) : null)
            ?? await users.FindAsync(nameOrId, cancellationToken)
            ?? throw new KeyInfraException(ErrorCodes.UserNotFound, $"There is no user '{InputParser.Shorten(nameOrId)}' in this tenant. Run 'users list' to see them.");

    private static string? ReadPassword(string? variable)
    {
        if (variable is null)
        {
            return null;
        }

        if (variable.Length == 0 || variable.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_')) || char.IsAsciiDigit(variable[0]))
        {
            throw new UsageException("--password-env takes the name of an environment variable (letters, digits and '_'), never the password itself.");
        }

        return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new UsageException($"--password-env: the environment variable {variable} is not set or is empty.");
    }

    private static void Print(CommandContext context, IReadOnlyList<UserInfo> users, bool single)
    {
        if (context.Json)
        {
            if (single)
            {
                JsonOutput.Write(context.Output, users[0]);
            }
            else
            {
                JsonOutput.Write(context.Output, new { items = users });
            }

            return;
        }

        var table = new TableWriter("ID", "USERNAME", "STATUS", "ROLES", "PASSWORD", "LAST LOGIN");
        foreach (var user in users)
        {
            table.AddRow(user.Id.ToString(), user.Username, user.Status.ToString(), string.Join(",", user.Roles), user.HasPassword ? "set" : "-", Formats.Time(user.LastLoginAt));
        }

        table.Write(context.Output);
        if (!single)
        {
            context.Output.WriteLine($"{users.Count} users.");
        }
    }
}
