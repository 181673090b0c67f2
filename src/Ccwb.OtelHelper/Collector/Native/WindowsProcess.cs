using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;

namespace Ccwb.OtelHelper.Collector.Native;

/// <summary>
/// CreateProcessW for a detached collector: a new process group without a console window, its standard handles on
/// the log files, and exactly those three handles inherited. System.Diagnostics.Process can only redirect to pipes,
/// and would hand Claude Code's own output pipe to the collector, which keeps Claude Code waiting for the helper.
/// </summary>
[SupportedOSPlatform("windows")]
internal static unsafe partial class WindowsProcess
{
    private const uint CreateNewProcessGroup = 0x00000200;
    private const uint CreateUnicodeEnvironment = 0x00000400;
    private const uint ExtendedStartupInfoPresent = 0x00080000;
    private const uint CreateNoWindow = 0x08000000;
    private const uint UseStandardHandles = 0x00000100; // STARTF_USESTDHANDLES
    private const nuint HandleListAttribute = 0x00020002; // PROC_THREAD_ATTRIBUTE_HANDLE_LIST

    public static int StartDetached(string program, IReadOnlyList<string> arguments, IReadOnlyList<string> environment, string outputFile, string errorFile)
    {
        const FileShare Shared = FileShare.ReadWrite | FileShare.Delete | FileShare.Inheritable;
        using var input = File.OpenHandle("NUL", FileMode.Open, FileAccess.Read, Shared);
        using var output = File.OpenHandle(outputFile, FileMode.Append, FileAccess.Write, Shared);
        using var error = File.OpenHandle(errorFile, FileMode.Append, FileAccess.Write, Shared);
        var handles = stackalloc nint[] { input.DangerousGetHandle(), output.DangerousGetHandle(), error.DangerousGetHandle() };

        nuint listSize = 0;
        InitializeProcThreadAttributeList(null, 1, 0, &listSize);
        var list = NativeMemory.AllocZeroed(listSize);
        try
        {
            if (InitializeProcThreadAttributeList(list, 1, 0, &listSize) == 0) throw LastError("InitializeProcThreadAttributeList");
            try
            {
                if (UpdateProcThreadAttribute(list, 0, HandleListAttribute, handles, (nuint)(3 * sizeof(nint)), null, null) == 0)
                    throw LastError("UpdateProcThreadAttribute");
                var startup = new StartupInfoEx
                {
                    Size = (uint)sizeof(StartupInfoEx),
                    Flags = UseStandardHandles,
                    StandardInput = handles[0], StandardOutput = handles[1], StandardError = handles[2],
                    AttributeList = list,
                };
                var commandLine = new StringBuilder(Quote(program));
                foreach (var argument in arguments) commandLine.Append(' ').Append(Quote(argument));
                commandLine.Append('\0');
                var block = new StringBuilder();
                foreach (var variable in environment.Order(StringComparer.OrdinalIgnoreCase)) block.Append(variable).Append('\0');
                block.Append('\0');
                var commandLineChars = commandLine.ToString().ToCharArray();
                ProcessInformation created;
                fixed (char* application = program + "\0")
                fixed (char* line = commandLineChars)
                fixed (char* variables = block.ToString())
                fixed (char* directory = Path.GetDirectoryName(program) + "\0")
                {
                    if (CreateProcessW(application, line, null, null, 1,
                            CreateNewProcessGroup | CreateNoWindow | CreateUnicodeEnvironment | ExtendedStartupInfoPresent,
                            variables, directory, &startup, &created) == 0)
                        throw LastError($"cannot start {program}");
                }
                _ = CloseHandle(created.Thread);
                _ = CloseHandle(created.Process);
                return (int)created.ProcessId;
            }
            finally
            {
                DeleteProcThreadAttributeList(list);
            }
        }
        finally
        {
            NativeMemory.Free(list);
        }
    }

    /// <summary>One argument as CommandLineToArgvW reads it back (quotes, and the backslashes before them, escaped).</summary>
    private static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny([' ', '\t', '"']) < 0) return argument;
        var quoted = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }
            quoted.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes).Append(c);
            backslashes = 0;
        }
        return quoted.Append('\\', backslashes * 2).Append('"').ToString();
    }

    private static IOException LastError(string what) => new($"{what}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    [StructLayout(LayoutKind.Sequential)]
    private struct StartupInfoEx
    {
        public uint Size;
        public nint Reserved, Desktop, Title;
        public uint X, Y, XSize, YSize, XCountChars, YCountChars, FillAttribute, Flags;
        public ushort ShowWindow, Reserved2Size;
        public nint Reserved2, StandardInput, StandardOutput, StandardError;
        public void* AttributeList;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ProcessInformation
    {
        public nint Process, Thread;
        public uint ProcessId, ThreadId;
    }

    [LibraryImport("kernel32.dll", SetLastError = true)]
    private static partial int CreateProcessW(char* application, char* commandLine, void* processAttributes, void* threadAttributes,
        int inheritHandles, uint flags, void* environment, char* directory, StartupInfoEx* startup, ProcessInformation* information);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    private static partial int InitializeProcThreadAttributeList(void* list, int count, uint flags, nuint* size);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    private static partial int UpdateProcThreadAttribute(void* list, uint flags, nuint attribute, void* value, nuint size, void* previous, nuint* returned);

    [LibraryImport("kernel32.dll")]
    private static partial void DeleteProcThreadAttributeList(void* list);

    [LibraryImport("kernel32.dll")]
    private static partial int CloseHandle(nint handle);
}
