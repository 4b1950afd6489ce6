using KeyInfra.Authorization;
using KeyInfra.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Tests.Conformance;

/// <summary>Hosts with role-based access control on, and the callers the access-control and audit suites act as.</summary>
internal static class AccessControlHosts
{
    /// <summary>A host with <c>UseRoleBasedAccessControl()</c>, credential hashing made cheaper for tests, logs quiet.</summary>
    public static Task<TestHost> StartAsync(ConformanceStorage storage, string masterKey, Action<KeyInfraOptions>? options = null, Action<IServiceCollection>? services = null,
        Action<Encryption.EnvironmentMasterKeyOptions>? masterKeyOptions = null)
        => TestHost.StartAsync(
            storage,
            masterKey,
            o =>
            {
                o.CredentialHashing.Iterations = 100_000;
                options?.Invoke(o);
            },
            masterKeyOptions,
            services: s =>
            {
                s.AddKeyInfrastructure().UseRoleBasedAccessControl();
                services?.Invoke(s);
            },
            logging: l => l.SetMinimumLevel(LogLevel.Critical));

    /// <summary>A new user of <paramref name="role"/> (its name made unique), as a caller.</summary>
    public static async Task<Caller> NewUserAsync(TestHost host, string name, string role = KeyInfraRoles.User)
    {
        var user = await AsSystem(host, () => host.Get<IUserStore>().CreateAsync(new CreateUserRequest { Username = Unique(name), Roles = [role] }));
        return user.ToCaller();
    }

    public static AsyncLocalCallerContext Callers(TestHost host) => host.Get<AsyncLocalCallerContext>();

    /// <summary>Runs <paramref name="call"/> as a system caller.</summary>
    public static async Task<T> AsSystem<T>(TestHost host, Func<Task<T>> call)
    {
        using var scope = Callers(host).Use(Caller.ForSystem("conformance"));
        return await call();
    }

    /// <summary><paramref name="name"/> with a random suffix, so tests sharing a database do not collide.</summary>
    public static string Unique(string name) => name + "-" + Guid.NewGuid().ToString("N")[..10];
}
