using System.CommandLine;
using KeyInfra.Identity;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary><c>roles add|list|grant|revoke</c>: the tenant's roles and what they grant (built in, configured and stored, merged).</summary>
internal static class RolesCommand
{
    public static Command Create(CliSession session)
        => new("roles", "Roles and the permissions they grant (docs/access-control.md).")
        {
            Add(session),
            List(session),
            Change(session, grant: true),
            Change(session, grant: false),
        };

    private static Command Add(CliSession session)
    {
        var name = new Argument<string>("role") { Description = "The role's name: lowercase letters, digits, '_' and '-'." };
        var description = new Option<string?>("--description") { Description = "What the role is for." };
        var command = new Command("add", "Add a custom role to the tenant; it grants nothing until 'roles grant'.") { name, description };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            Print(context, [await CommandContext.Get<IRoleStore>(services).CreateAsync(parse.GetRequiredValue(name), parse.GetValue(description), ct)]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliSession session)
    {
        var command = new Command("list", "List every role and what it grants.");
        CommandRunner.SetHandler(command, session, async (_, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            Print(context, await CommandContext.Get<IRoleStore>(services).ListAsync(ct));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Change(CliSession session, bool grant)
    {
        var role = new Argument<string>("role") { Description = "The role." };
        var permission = new Argument<string>("permission") { Description = "A permission: " + string.Join(", ", KeyInfra.Authorization.KeyInfraPermissions.All) + "." };
        var command = new Command(
            grant ? "grant" : "revoke",
            grant ? "Make a role grant a permission in this tenant." : "Take away a permission the tenant's rows grant a role (what code or configuration grants stays).")
        { role, permission };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var roles = CommandContext.Get<IRoleStore>(services);
            var changed = grant
                ? await roles.GrantAsync(parse.GetRequiredValue(role), parse.GetRequiredValue(permission), ct)
                : await roles.RevokeAsync(parse.GetRequiredValue(role), parse.GetRequiredValue(permission), ct);
            Print(context, [changed]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CommandContext context, IReadOnlyList<RoleInfo> roles)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Output, new { items = roles });
            return;
        }

        var table = new TableWriter("ROLE", "BUILT IN", "PERMISSIONS", "FROM THE DATABASE");
        foreach (var role in roles)
        {
            table.AddRow(role.Name, role.BuiltIn ? "yes" : "no", string.Join(",", role.Permissions), string.Join(",", role.StoredPermissions));
        }

        table.Write(context.Output);
    }
}
