using System.CommandLine;
using System.Security.Cryptography;
using KeyInfra.Pkcs11.Errors;
using KeyInfra.Pkcs11.Slots;
using KeyInfra.Sample.Hosting;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// <c>hsm modules add|list|remove</c> and <c>hsm slots add|list|test|remove</c>: the PKCS#11 libraries this database
/// knows, and the current tenant's slots (a token and its user PIN, stored encrypted under the master key). The PIN is
/// read from an environment variable, standard input or the terminal (without echo), never from an argument.
/// </summary>
internal static class HsmCommand
{
    /// <summary>The variable <c>hsm slots add</c> reads the PIN from when neither <c>--pin-env</c> nor <c>--pin-stdin</c> is given.</summary>
    public const string DefaultPinVariable = "KEYINFRA_HSM_PIN";

    public static Command Create(CliSession session)
        => new("hsm", $"PKCS#11 modules and HSM slots; keys in a slot's token are made with 'keys create --hsm' or 'keys adopt'. Needs {SampleHost.Pkcs11ModuleVariable} (see docs/hsm.md).")
        {
            ModulesCommand(session),
            SlotsCommand(session),
        };

    /// <summary>The HSM manager, or a usage error saying how to configure the PKCS#11 package.</summary>
    public static IHsmManager RequireManager(IServiceProvider services)
        => services.GetService<IHsmManager>() ?? throw new UsageException(
            $"No PKCS#11 library is configured: set {SampleHost.Pkcs11ModuleVariable} to the absolute path of the library the sample may load " +
            "(SoftHSM2: /usr/lib/softhsm/libsofthsm2.so, with SOFTHSM2_CONF set), or the KeyInfra:Pkcs11 section of appsettings.json. See docs/hsm.md.");

    private static Command ModulesCommand(CliSession session)
        => new("modules", "The PKCS#11 libraries (modules) this database knows; global, not per tenant.")
        {
            AddModuleCommand(session),
            ListModulesCommand(session),
            RemoveModuleCommand(session),
        };

    private static Command SlotsCommand(CliSession session)
        => new("slots", "The current tenant's HSM slots: a token of a module, found by label or serial, and its user PIN (encrypted).")
        {
            AddSlotCommand(session),
            ListSlotsCommand(session),
            TestSlotCommand(session),
            RemoveSlotCommand(session),
        };

    private static Command AddModuleCommand(CliSession session)
    {
        var name = new Option<string>("--name") { Description = "The module's name, unique in the database.", Required = true };
        var library = new Option<string>("--library")
        {
            Description = $"The PKCS#11 library's absolute path; it must be a path this host allows ({SampleHost.Pkcs11ModuleVariable}).",
            HelpName = "path",
            Required = true,
        };
        var command = new Command("add", "Store a module after loading its library once to check it is a PKCS#11 module this host allows.") { name, library };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var module = await RequireManager(services).AddModuleAsync(parse.GetRequiredValue(name), parse.GetRequiredValue(library), ct);
            PrintModules(context, [module], single: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListModulesCommand(CliSession session)
    {
        var command = new Command("list", "List the stored modules, and whether this host allows loading each one's library.");
        CommandRunner.SetHandler(command, session, async (_, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var modules = await RequireManager(services).ListModulesAsync(ct);
            PrintModules(context, modules, single: false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RemoveModuleCommand(CliSession session)
    {
        var name = new Argument<string>("name") { Description = "The module's name." };
        var command = new Command("remove", "Remove a module that no slot (of any tenant) uses.") { name };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var moduleName = parse.GetRequiredValue(name);
            var services = await context.StartAsync(ct);
            if (!await RequireManager(services).RemoveModuleAsync(moduleName, ct))
            {
                throw new HsmException(Pkcs11ErrorCodes.SlotNotFound, $"No PKCS#11 module named '{InputParser.Shorten(moduleName)}' is stored. Run 'hsm modules list' to see them.");
            }

            PrintRemoved(context, "module", moduleName);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command AddSlotCommand(CliSession session)
    {
        var name = new Option<string>("--name") { Description = "The slot's name, unique in the tenant (what 'keys create --hsm' takes).", Required = true };
        var module = new Option<string>("--module") { Description = "The stored module whose library reaches the token.", Required = true };
        var label = new Option<string?>("--token-label") { Description = "Find the token by its label (softhsm2-util --show-slots, pkcs11-tool -L).", HelpName = "label" };
        var serial = new Option<string?>("--token-serial") { Description = "Find the token by its serial number instead.", HelpName = "serial" };
        var pinEnv = new Option<string?>("--pin-env")
        {
            Description = $"Read the user PIN from this environment variable (default {DefaultPinVariable} when it is set). Never give the PIN itself as an argument.",
            HelpName = "variable",
        };
        var pinStdin = new Option<bool>("--pin-stdin") { Description = "Read the user PIN from the first line of standard input." };
        var command = new Command(
            "add",
            "Add an HSM slot: logs in to the token once with the PIN (a wrong PIN is not retried), then stores the slot with the PIN encrypted under the master key. " +
            $"The PIN comes from --pin-env, --pin-stdin, {DefaultPinVariable}, or is asked for at the terminal without echo.")
        {
            name, module, label, serial, pinEnv, pinStdin,
        };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var tokenLabel = parse.GetValue(label);
            var tokenSerial = parse.GetValue(serial);
            if ((tokenLabel is null) == (tokenSerial is null))
            {
                throw new UsageException("Name the slot's token with exactly one of --token-label <label> and --token-serial <serial>.");
            }

            var variable = parse.GetValue(pinEnv);
            var fromStdin = parse.GetValue(pinStdin);
            if (variable is not null && fromStdin)
            {
                throw new UsageException("Give the PIN either with --pin-env <VARIABLE> or with --pin-stdin, not both.");
            }

            var request = new AddHsmSlotRequest(parse.GetRequiredValue(name), parse.GetRequiredValue(module)) { TokenLabel = tokenLabel, TokenSerial = tokenSerial };
            var services = await context.StartAsync(ct);
            var manager = RequireManager(services);
            var pin = await ReadPinAsync(context, variable, fromStdin, tokenLabel is not null ? $"token '{tokenLabel}'" : $"token serial {tokenSerial}", ct);
            HsmSlotInfo slot;
            try
            {
                slot = await manager.AddSlotAsync(request, pin, ct);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pin);
            }

            PrintSlots(context, [slot], single: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListSlotsCommand(CliSession session)
    {
        var command = new Command("list", "List the current tenant's HSM slots (never their PINs).");
        CommandRunner.SetHandler(command, session, async (_, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var slots = await RequireManager(services).ListSlotsAsync(ct);
            PrintSlots(context, slots, single: false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command TestSlotCommand(CliSession session)
    {
        var name = new Argument<string>("name") { Description = "The slot's name." };
        var command = new Command("test", "Find the slot's token and log in with its stored PIN; print what was found.") { name };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var slotName = parse.GetRequiredValue(name);
            var services = await context.StartAsync(ct);
            var token = await RequireManager(services).TestSlotAsync(slotName, ct);
            var exitCode = token.LoggedIn ? ExitCodes.Success : ExitCodes.Failure;
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new { slot = slotName, token });
                return exitCode;
            }

            new TableWriter("FIELD", "VALUE")
                .AddRow("slot", slotName)
                .AddRow("token label", token.Label)
                .AddRow("token serial", token.SerialNumber)
                .AddRow("manufacturer", token.Manufacturer)
                .AddRow("model", token.Model)
                .AddRow("logged in", token.LoggedIn ? "yes" : "no")
                .Write(context.Output);
            return exitCode;
        });
        return command;
    }

    private static Command RemoveSlotCommand(CliSession session)
    {
        var name = new Argument<string>("name") { Description = "The slot's name." };
        var command = new Command("remove", "Remove a slot of the current tenant that no key uses (the token and its objects are left as they are).") { name };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var slotName = parse.GetRequiredValue(name);
            var services = await context.StartAsync(ct);
            if (!await RequireManager(services).RemoveSlotAsync(slotName, ct))
            {
                throw new HsmException(Pkcs11ErrorCodes.SlotNotFound, $"This tenant has no HSM slot named '{InputParser.Shorten(slotName)}'. Run 'hsm slots list' to see them.");
            }

            PrintRemoved(context, "slot", slotName);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The PIN from the source the options name; the caller zeroes it.</summary>
    private static async Task<byte[]> ReadPinAsync(CommandContext context, string? variable, bool fromStdin, string what, CancellationToken cancellationToken)
    {
        if (fromStdin)
        {
            return await PinReader.FromStreamAsync(context.Input, cancellationToken);
        }

        if (variable is not null)
        {
            return PinReader.FromEnvironment(variable);
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DefaultPinVariable)))
        {
            return PinReader.FromEnvironment(DefaultPinVariable);
        }

        if (context.InteractiveInput)
        {
            return PinReader.FromTerminal(context.Error, what);
        }

        throw new UsageException($"No PIN given: set {DefaultPinVariable} (or name another variable with --pin-env <VARIABLE>), or pipe it in with --pin-stdin. " +
            "A PIN is never taken as an argument: arguments show in the process list and the shell history.");
    }

    private static void PrintModules(CommandContext context, IReadOnlyList<HsmModuleInfo> modules, bool single)
    {
        if (context.Json)
        {
            if (single)
            {
                JsonOutput.Write(context.Output, modules[0]);
            }
            else
            {
                JsonOutput.Write(context.Output, new { items = modules });
            }

            return;
        }

        var table = new TableWriter("NAME", "LIBRARY", "ALLOWED HERE", "CREATED");
        foreach (var module in modules)
        {
            table.AddRow(module.Name, module.LibraryPath, module.IsAllowed ? "yes" : "no", Formats.Time(module.CreatedAt));
        }

        table.Write(context.Output);
        if (!single)
        {
            context.Output.WriteLine($"{modules.Count} modules.");
        }

        if (modules.Any(m => !m.IsAllowed))
        {
            context.Output.WriteLine($"A module that is not allowed here is never loaded: this host allows only the library in {SampleHost.Pkcs11ModuleVariable} (and KeyInfra:Pkcs11:AllowedModulePaths).");
        }
    }

    private static void PrintSlots(CommandContext context, IReadOnlyList<HsmSlotInfo> slots, bool single)
    {
        if (context.Json)
        {
            if (single)
            {
                JsonOutput.Write(context.Output, slots[0]);
            }
            else
            {
                JsonOutput.Write(context.Output, new { items = slots });
            }

            return;
        }

        var table = new TableWriter("NAME", "MODULE", "TOKEN", "PIN MASTER KEY", "CREATED");
        foreach (var slot in slots)
        {
            var token = slot.TokenLabel is not null ? $"label '{slot.TokenLabel}'" : $"serial {slot.TokenSerial}";
            table.AddRow(slot.Name, slot.ModuleName, token, slot.MasterKeyId, Formats.Time(slot.CreatedAt));
        }

        table.Write(context.Output);
        context.Output.WriteLine(single ? "The PIN is stored encrypted under the master key; it is never printed." : $"{slots.Count} slots.");
    }

    private static void PrintRemoved(CommandContext context, string what, string name)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Output, new { name, removed = true });
            return;
        }

        context.Output.WriteLine($"Removed the {what} '{name}'.");
    }
}
