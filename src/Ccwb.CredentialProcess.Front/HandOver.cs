using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Ccwb.CredentialProcess.Front;

/// <summary>
/// How a small front (<c>credential-process</c>, <c>otel-helper</c>) hands a call it does not answer to its full
/// program beside it (<c>credential-process-full</c>, <c>otel-helper-full</c>) with the same arguments, environment
/// (plus at most one variable of the front's) and standard streams. On Unix the process becomes it (<c>execv</c>), so
/// the caller sees one process, its exit status and its signals; Windows has no such call, so it is started as a child
/// sharing this console and its exit code is returned. Linked into both fronts.
/// </summary>
/// <param name="front">The front's program name, e.g. <c>credential-process</c>.</param>
/// <param name="fullProgram">The full program's name, e.g. <c>credential-process-full</c>.</param>
internal sealed partial class HandOver(string front, string fullProgram)
{
    /// <summary>
    /// Runs the full program and returns its exit code (Windows; on Unix only a failure returns). When it cannot be
    /// run, <paramref name="missing"/> answers with the full program's path and the reason.
    /// </summary>
    public int Run(string[] args, (string Name, string Value)? variable, Func<string, string, int> missing)
    {
        var full = FullPath(Environment.ProcessPath ?? front);
        return OperatingSystem.IsWindows() ? RunChild(full, args, variable, missing) : Exec(full, args, variable, missing);
    }

    /// <summary>
    /// The full program beside <paramref name="frontPath"/>, named as the front is: installed, <c>credential-process</c>
    /// beside <c>credential-process-full</c> (<c>.exe</c> on Windows); in a package folder (which <c>ccwb test</c>
    /// runs), <c>credential-process-linux-x64</c> beside <c>credential-process-full-linux-x64</c>.
    /// </summary>
    internal string FullPath(string frontPath)
    {
        // A command linked onto the PATH (the macOS package's ccwb-credential-process) runs the front where it is installed.
        try { frontPath = File.ResolveLinkTarget(frontPath, returnFinalTarget: true)?.FullName ?? frontPath; }
        catch (IOException) { }
        var name = Path.GetFileName(frontPath);
        var full = name.StartsWith(front, StringComparison.Ordinal)
            ? fullProgram + name[front.Length..]
            : OperatingSystem.IsWindows() ? fullProgram + ".exe" : fullProgram;
        return Path.Combine(Path.GetDirectoryName(frontPath) ?? ".", full);
    }

    /// <summary>The full programs' error style for a full program that cannot be run: <c>Error: …</c> on stderr, exit 1.</summary>
    public int ReportMissing(string full, string reason)
    {
        Console.Error.WriteLine($"Error: cannot run {full} ({reason}); it is installed beside {front}. Reinstall the package.");
        return 1;
    }

    private static unsafe int Exec(string full, string[] args, (string Name, string Value)? variable, Func<string, string, int> missing)
    {
        // Into the C environment execv passes on (Environment.SetEnvironmentVariable only changes .NET's copy).
        if (variable is var (name, value)) _ = SetEnv(name, value, 1);
        // argv as C strings; never freed: on success the process image is replaced, on failure the process exits.
        var argv = new nint[args.Length + 2];
        argv[0] = Marshal.StringToCoTaskMemUTF8(full);
        for (var i = 0; i < args.Length; i++) argv[i + 1] = Marshal.StringToCoTaskMemUTF8(args[i]);
        fixed (nint* pointers = argv)
            _ = Execv(argv[0], pointers);
        return missing(full, $"errno {Marshal.GetLastPInvokeError()}");
    }

    private static int RunChild(string full, string[] args, (string Name, string Value)? variable, Func<string, string, int> missing)
    {
        if (!File.Exists(full)) return missing(full, "not found");
        var start = new ProcessStartInfo(full) { UseShellExecute = false };
        if (variable is var (name, value)) start.Environment[name] = value;
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var child = Process.Start(start)!;
        child.WaitForExit();
        return child.ExitCode;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true)]
    private static unsafe partial int Execv(nint path, nint* argv);
}
