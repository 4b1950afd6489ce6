using System.CommandLine;
using KeyInfra.Sample.Output;
using KeyInfra.Storage;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// <c>migrate up|down|status</c>: the schema by hand. These commands never migrate on start
/// (<see cref="KeyInfraOptions.MigrateOnStartup"/> is off for them) and do not start the host.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create(CliSession session)
    {
        var upTarget = new Argument<string?>("target") { Description = "Migrate up to this migration (default: the newest).", Arity = ArgumentArity.ZeroOrOne };
        var up = new Command("up", "Apply migrations, up to the newest or to <target>.") { upTarget };
        CommandRunner.SetHandler(up, session, async (parse, context, ct) =>
        {
            var migrator = CommandContext.Get<IKeyInfraMigrator>(context.BuildForMigrations());
            await migrator.MigrateAsync(parse.GetValue(upTarget), ct);
            await PrintStatusAsync(context, migrator, ct);
            return ExitCodes.Success;
        });

        var downTarget = new Argument<string>("target") { Description = "Revert to this migration; 0 reverts everything (all KeyInfra data is lost)." };
        var down = new Command("down", "Revert migrations down to <target>.") { downTarget };
        CommandRunner.SetHandler(down, session, async (parse, context, ct) =>
        {
            var migrator = CommandContext.Get<IKeyInfraMigrator>(context.BuildForMigrations());
            await migrator.MigrateAsync(parse.GetRequiredValue(downTarget), ct);
            await PrintStatusAsync(context, migrator, ct);
            return ExitCodes.Success;
        });

        var status = new Command("status", "List applied and pending migrations.");
        CommandRunner.SetHandler(status, session, async (parse, context, ct) =>
        {
            var migrator = CommandContext.Get<IKeyInfraMigrator>(context.BuildForMigrations());
            await PrintStatusAsync(context, migrator, ct);
            return ExitCodes.Success;
        });

        return new Command("migrate", "Apply, revert or list the database schema migrations.") { up, down, status };
    }

    private static async Task PrintStatusAsync(CommandContext context, IKeyInfraMigrator migrator, CancellationToken cancellationToken)
    {
        var status = await migrator.GetStatusAsync(cancellationToken);
        if (context.Json)
        {
            JsonOutput.Write(context.Output, new { applied = status.Applied, pending = status.Pending, upToDate = status.IsUpToDate });
            return;
        }

        var table = new TableWriter("MIGRATION", "STATE");
        foreach (var migration in status.Applied)
        {
            table.AddRow(migration, "applied");
        }

        foreach (var migration in status.Pending)
        {
            table.AddRow(migration, "pending");
        }

        table.Write(context.Output);
        context.Output.WriteLine(status.IsUpToDate
            ? "The database is up to date."
            : $"{status.Pending.Count} pending; apply with: migrate up");
    }
}
