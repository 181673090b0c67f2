using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Ccwb.Credentials.Otel;
using Ccwb.OtelHelper.Collector.Native;

namespace Ccwb.OtelHelper.Collector;

/// <summary>Starts the collector detached from otel-helper, and tells whether a process id is still that collector.</summary>
internal static unsafe class CollectorProcess
{
    /// <summary>
    /// Whether <paramref name="pid"/> is a live process running <paramref name="program"/>, so that a pid the system
    /// has given to another process since does not count. Cheap: no process is started.
    /// </summary>
    /// <remarks>
    /// Linux reads the process's arguments from /proc: they are <c>&lt;program&gt; --config …</c>, after the
    /// interpreter's when otelcol is a script; a zombie has none. macOS and Windows compare the process name with
    /// otelcol's, so there a recycled pid that happens to be another program named otelcol counts as running.
    /// </remarks>
    public static bool IsRunning(int pid, string program)
    {
        if (OperatingSystem.IsLinux()) return SidecarCollectorState.LinuxProcessRuns(pid, program);
        try
        {
            using var process = Process.GetProcessById(pid);
            return string.Equals(process.ProcessName, Path.GetFileNameWithoutExtension(program), StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Win32Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts <c>program arguments…</c> in its own session (Unix) or process group without a window (Windows), with
    /// exactly <paramref name="environment"/>, standard input from the null device and standard output and error
    /// appended to the two files (created owner-only). Returns its pid; otel-helper never waits for it.
    /// </summary>
    /// <exception cref="IOException">The program could not be started.</exception>
    public static int StartDetached(string program, IReadOnlyList<string> arguments, IReadOnlyList<string> environment, string outputFile, string errorFile)
    {
        if (OperatingSystem.IsWindows()) return WindowsProcess.StartDetached(program, arguments, environment, outputFile, errorFile);

        var strings = new List<nint>();
        byte* Utf8(string text)
        {
            var pointer = Marshal.StringToCoTaskMemUTF8(text);
            strings.Add(pointer);
            return (byte*)pointer;
        }
        byte** Vector(IReadOnlyList<string> items)
        {
            var vector = (byte**)Marshal.AllocCoTaskMem((items.Count + 1) * sizeof(nint));
            strings.Add((nint)vector);
            for (var i = 0; i < items.Count; i++) vector[i] = Utf8(items[i]);
            vector[items.Count] = null;
            return vector;
        }

        var actions = NativeMemory.AllocZeroed(PosixSpawn.OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(PosixSpawn.OpaqueSize);
        var noSignals = NativeMemory.AllocZeroed(PosixSpawn.OpaqueSize);
        var brokenPipe = NativeMemory.AllocZeroed(PosixSpawn.OpaqueSize);
        try
        {
            Check(PosixSpawn.FileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(PosixSpawn.AttributesInit(attributes), "posix_spawnattr_init");
            try
            {
                const uint OwnerReadWrite = 0x180; // 0600
                Check(PosixSpawn.FileActionsAddOpen(actions, 0, Utf8("/dev/null"), PosixSpawn.ReadOnly, 0), "posix_spawn_file_actions_addopen");
                Check(PosixSpawn.FileActionsAddOpen(actions, 1, Utf8(outputFile), PosixSpawn.WriteAppendCreate, OwnerReadWrite), "posix_spawn_file_actions_addopen");
                Check(PosixSpawn.FileActionsAddOpen(actions, 2, Utf8(errorFile), PosixSpawn.WriteAppendCreate, OwnerReadWrite), "posix_spawn_file_actions_addopen");
                // A new session: the collector outlives Claude Code's terminal and gets none of its signals. It starts
                // with no signal blocked and SIGPIPE at its default, whatever this program set for itself.
                Check(PosixSpawn.SignalSetEmpty(noSignals) | PosixSpawn.SignalSetEmpty(brokenPipe)
                    | PosixSpawn.SignalSetAdd(brokenPipe, PosixSpawn.BrokenPipeSignal), "sigemptyset");
                Check(PosixSpawn.AttributesSetSignalMask(attributes, noSignals), "posix_spawnattr_setsigmask");
                Check(PosixSpawn.AttributesSetSignalDefaults(attributes, brokenPipe), "posix_spawnattr_setsigdefault");
                Check(PosixSpawn.AttributesSetFlags(attributes, (short)(PosixSpawn.SetSession | PosixSpawn.SetSignalMask | PosixSpawn.SetSignalDefaults)),
                    "posix_spawnattr_setflags");

                var result = PosixSpawn.Spawn(out var pid, Utf8(program), actions, attributes, Vector([program, .. arguments]), Vector(environment));
                if (result != 0) throw new IOException($"cannot start {program}: {Marshal.GetPInvokeErrorMessage(result)}");
                return pid;
            }
            finally
            {
                _ = PosixSpawn.FileActionsDestroy(actions);
                _ = PosixSpawn.AttributesDestroy(attributes);
            }
        }
        finally
        {
            foreach (var pointer in strings) Marshal.FreeCoTaskMem(pointer);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(noSignals);
            NativeMemory.Free(brokenPipe);
        }
    }

    private static void Check(int result, string call)
    {
        if (result != 0) throw new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(result)}");
    }
}
