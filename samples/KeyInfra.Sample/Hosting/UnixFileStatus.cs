using System.Runtime.InteropServices;
using System.Text;

namespace KeyInfra.Sample.Hosting;

/// <summary>
/// What the file system says about a path itself (not what a symbolic link points to): its type, mode and owner, read
/// with <c>statx(2)</c> on Linux. On other Unix systems the owner is not known (<see cref="OwnerIsCurrentUser"/> is
/// <c>null</c>) and the type and mode come from .NET's own APIs.
/// </summary>
internal sealed record UnixFileStatus(bool IsSymbolicLink, bool IsRegularFile, UnixFileMode Mode, bool? OwnerIsCurrentUser)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const int StatxSize = 256;
    private const int UidOffset = 20;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int SymbolicLinkType = 0xA000;
    private const int RegularFileType = 0x8000;

    /// <summary>Reads the status of <paramref name="path"/> without following a symbolic link.</summary>
    /// <exception cref="IOException">The file system refused the call.</exception>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static UnixFileStatus Of(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            var buffer = new byte[StatxSize];
            var pathBytes = Encoding.UTF8.GetBytes(path + "\0");
            if (NativeMethods.statx(AtFdCwd, pathBytes, AtSymlinkNoFollow, StatxType | StatxMode | StatxUid, buffer) != 0)
            {
                throw new IOException($"Could not read the status of '{path}' (errno {Marshal.GetLastPInvokeError()}).");
            }

            var uid = BitConverter.ToUInt32(buffer, UidOffset);
            var mode = BitConverter.ToUInt16(buffer, ModeOffset);
            return new UnixFileStatus(
                (mode & TypeMask) == SymbolicLinkType,
                (mode & TypeMask) == RegularFileType,
                (UnixFileMode)(mode & 0xFFF),
                uid == NativeMethods.geteuid());
        }

        var info = new FileInfo(path);
        var isLink = info.LinkTarget is not null;
        return new UnixFileStatus(isLink, !isLink && info.Exists, isLink ? 0 : File.GetUnixFileMode(path), null);
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable CA5393 // libc is the system's C library
        public static extern int statx(int dirfd, byte[] pathname, int flags, uint mask, byte[] statxbuf);
#pragma warning restore CA5393

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern uint geteuid();
    }
}
