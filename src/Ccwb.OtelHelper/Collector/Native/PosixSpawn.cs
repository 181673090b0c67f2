using System.Runtime.InteropServices;

namespace Ccwb.OtelHelper.Collector.Native;

/// <summary>
/// posix_spawn(3) and the calls that prepare it (Linux glibc, macOS). System.Diagnostics.Process can neither start a
/// program in a new session nor point its output at files, both of which a detached collector needs.
/// </summary>
internal static unsafe partial class PosixSpawn
{
    private const string Libc = "libc";

    // The opaque posix_spawn types are at most a few hundred bytes (glibc: 80 and 336; macOS: one pointer each);
    // callers allocate this much zeroed memory for each.
    public const int OpaqueSize = 1024;

    public static int ReadOnly => 0;
    public static int WriteAppendCreate => OperatingSystem.IsMacOS() ? 0x1 | 0x8 | 0x200 : 0x1 | 0x400 | 0x40; // O_WRONLY|O_APPEND|O_CREAT
    public const short SetSignalDefaults = 0x04; // POSIX_SPAWN_SETSIGDEF
    public const short SetSignalMask = 0x08; // POSIX_SPAWN_SETSIGMASK
    public static short SetSession => OperatingSystem.IsMacOS() ? (short)0x400 : (short)0x80; // POSIX_SPAWN_SETSID
    public const int BrokenPipeSignal = 13; // SIGPIPE

    [LibraryImport(Libc, EntryPoint = "posix_spawn")]
    public static partial int Spawn(out int pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** environment);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(void* actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_addopen")]
    public static partial int FileActionsAddOpen(void* actions, int descriptor, byte* path, int flags, uint mode);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(void* actions);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_init")]
    public static partial int AttributesInit(void* attributes);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int AttributesSetFlags(void* attributes, short flags);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int AttributesSetSignalMask(void* attributes, void* signals);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int AttributesSetSignalDefaults(void* attributes, void* signals);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int AttributesDestroy(void* attributes);

    [LibraryImport(Libc, EntryPoint = "sigemptyset")]
    public static partial int SignalSetEmpty(void* signals);

    [LibraryImport(Libc, EntryPoint = "sigaddset")]
    public static partial int SignalSetAdd(void* signals, int signal);
}
