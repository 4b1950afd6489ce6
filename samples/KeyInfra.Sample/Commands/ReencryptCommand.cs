using System.CommandLine;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// <c>reencrypt</c>: the re-wrap of <c>master-key rewrap</c> (after a master key rotation or an upgrade: private keys,
/// key rows, log digests, HSM slot PINs), which can also encrypt plaintext private keys left by a version before
/// encryption at rest. What it cannot bring over is listed, and the command then exits non-zero.
/// </summary>
internal static class ReencryptCommand
{
    public static Command Create(CliSession session)
    {
        var command = new Command("reencrypt", "Re-wrap every private key, key row MAC, log digest and HSM slot PIN under the current master key, upgrading old ciphertexts (run after rotating KEYINFRA_MASTER_KEY or upgrading); the same run as 'master-key rewrap'.");
        var unsafePlaintext = new Option<bool>("--unsafe-read-plaintext-private-keys")
        {
            Description = "Also encrypt plaintext private keys written before encryption at rest. UNSAFE: anyone who can write the database " +
                          "can plant such a key; use once, when migrating such a database, after checking nobody else wrote to it.",
        };
        var restart = new Option<bool>("--restart") { Description = $"Ignore the checkpoint an interrupted run left ({RewrapCheckpointFile.FileName} next to the database) and run every step." };
        command.Options.Add(unsafePlaintext);
        command.Options.Add(restart);
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            return await RewrapRunner.RunAsync(context, services, parse.GetValue(unsafePlaintext), parse.GetValue(restart), ct);
        });
        return command;
    }
}
