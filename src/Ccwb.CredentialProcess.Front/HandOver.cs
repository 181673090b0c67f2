using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Ccwb.Credentials.Storage;

namespace Ccwb.CredentialProcess.Front;

/// <summary>
/// Runs <c>credential-process-full</c> from this program's folder with the same arguments, environment (plus when the
/// call started: <see cref="FailedSignInRecord.CallStartedVariable"/>) and standard streams. On Unix the process becomes it (<c>execv</c>), so the caller sees one process, its exit status and its
/// signals; Windows has no such call, so it is started as a child sharing this console and its exit code is returned.
/// </summary>
internal static partial class HandOver
{
    private const string Front = "credential-process";
    private const string FullProgram = "credential-process-full";

    public static int Run(string[] args, DateTime started)
    {
        var full = FullPath(Environment.ProcessPath ?? Front);
        var startedText = started.Ticks.ToString(CultureInfo.InvariantCulture);
        return OperatingSystem.IsWindows() ? RunChild(full, args, startedText) : Exec(full, args, startedText);
    }

    /// <summary>
    /// The full helper beside <paramref name="front"/>, named as the front is: installed, <c>credential-process</c>
    /// beside <c>credential-process-full</c> (<c>.exe</c> on Windows); in a package folder (which <c>ccwb test</c>
    /// runs), <c>credential-process-linux-x64</c> beside <c>credential-process-full-linux-x64</c>.
    /// </summary>
    internal static string FullPath(string front)
    {
        // A command linked onto the PATH (the macOS package's ccwb-credential-process) runs the front where it is installed.
        try { front = File.ResolveLinkTarget(front, returnFinalTarget: true)?.FullName ?? front; }
        catch (IOException) { }
        var name = Path.GetFileName(front);
        var full = name.StartsWith(Front, StringComparison.Ordinal)
            ? FullProgram + name[Front.Length..]
            : OperatingSystem.IsWindows() ? FullProgram + ".exe" : FullProgram;
        return Path.Combine(Path.GetDirectoryName(front) ?? ".", full);
    }

    private static unsafe int Exec(string full, string[] args, string started)
    {
        // Into the C environment execv passes on (Environment.SetEnvironmentVariable only changes .NET's copy).
        _ = SetEnv(FailedSignInRecord.CallStartedVariable, started, 1);
        // argv as C strings; never freed: on success the process image is replaced, on failure the process exits.
        var argv = new nint[args.Length + 2];
        argv[0] = Marshal.StringToCoTaskMemUTF8(full);
        for (var i = 0; i < args.Length; i++) argv[i + 1] = Marshal.StringToCoTaskMemUTF8(args[i]);
        fixed (nint* pointers = argv)
            _ = Execv(argv[0], pointers);
        return Missing(full, $"errno {Marshal.GetLastPInvokeError()}");
    }

    private static int RunChild(string full, string[] args, string started)
    {
        if (!File.Exists(full)) return Missing(full, "not found");
        var start = new ProcessStartInfo(full) { UseShellExecute = false };
        start.Environment[FailedSignInRecord.CallStartedVariable] = started;
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        child.WaitForExit();
        return child.ExitCode;
    }

    /// <summary>The full helper's error style: <c>Error: …</c> on stderr, exit 1.</summary>
    private static int Missing(string full, string reason)
    {
        Console.Error.WriteLine($"Error: cannot run {full} ({reason}); it is installed beside credential-process. Reinstall the package.");
        return 1;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true)]
    private static unsafe partial int Execv(nint path, nint* argv);
}
