using System.CommandLine;

namespace KeyInfra.Sample.Commands;

/// <summary>Builds the command tree; the root command itself runs the demo.</summary>
internal static class RootCommandFactory
{
    public static RootCommand Create(CliSession session)
    {
        var root = new RootCommand(
            "KeyInfra sample: keys of every algorithm, signing, verification and its log on a local SQLite file. " +
            "Without a command it runs the demo. With KEYINFRA_POSTGRES set to a connection string, it runs on PostgreSQL instead; " +
            "with KEYINFRA_PKCS11_MODULE set to a PKCS#11 library, keys can live in an HSM ('hsm', 'keys create --hsm').")
        {
            session.DatabaseOption,
            session.JsonOption,
            KeysCommand.Create(session),
            SignCommand.Create(session),
            VerifyCommand.Create(session),
            VerifyBatchCommand.Create(session),
            LogCommand.Create(session),
            AuditCommand.Create(session),
            CurvesCommand.Create(session),
            MigrateCommand.Create(session),
            ReencryptCommand.Create(session),
            MasterKeyCommand.Create(session),
            HsmCommand.Create(session),
            UsersCommand.Create(session),
            RolesCommand.Create(session),
            AppsCommand.Create(session),
            CaCommand.Create(session),
            CertsCommand.Create(session),
            CrlCommand.Create(session),
        };
        CommandRunner.SetHandler(root, session, (_, context, ct) => DemoCommand.RunAsync(context, ct));
        return root;
    }
}
