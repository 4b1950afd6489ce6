using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.HighLevelAPI;

namespace KeyInfra.Pkcs11.Native;

/// <summary>
/// Pkcs11Interop loads libraries through <c>dlopen</c> imported from <c>libdl</c>, a name Debian 12 and other current
/// distributions ship only as <c>libdl.so.2</c> (without the -dev package). A <see cref="DllImportResolver"/> on
/// Pkcs11Interop's assembly maps the name, once per process, before the first library is loaded (the workaround the
/// Pkcs11Interop maintainers document). Since glibc 2.34 <c>dlopen</c> is in libc itself, which is the fallback.
/// </summary>
internal static class Pkcs11InteropResolver
{
    private static readonly Lock s_gate = new();
    private static bool s_installed;

    public static void EnsureInstalled()
    {
        lock (s_gate)
        {
            if (s_installed)
            {
                return;
            }

            try
            {
                NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // The host set a resolver of its own on Pkcs11Interop's assembly already; it answers for libdl.
            }

            s_installed = true;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!OperatingSystem.IsLinux() || !string.Equals(libraryName, "libdl", StringComparison.Ordinal))
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in (ReadOnlySpan<string>)["libdl.so.2", "libdl.so", "libc.so.6"])
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }
}
