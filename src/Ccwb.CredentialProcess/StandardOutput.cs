using System.Runtime.InteropServices;
using System.Text;

namespace Ccwb.CredentialProcess;

/// <summary>
/// stdout for the answer line: UTF-8 (no BOM) bytes written straight to file descriptor 1 on Unix, one write per line.
/// </summary>
/// <remarks>
/// Hand-written rather than <see cref="Console.Out"/>: on Unix the console sets up the terminal, its encoding and a
/// signal-handling thread on first use, which the cached path does not need. A FileStream over fd 1 is no substitute:
/// for a regular file it writes at its own offset without moving the shared one, so a caller appending after us would
/// overwrite our line. Windows keeps <see cref="Console.Out"/>.
/// </remarks>
internal static partial class StandardOutput
{
    public static TextWriter Create() => OperatingSystem.IsWindows() ? Console.Out : new FileDescriptorWriter();

    private sealed partial class FileDescriptorWriter : TextWriter
    {
        private const int StandardOutputDescriptor = 1;
        private const int Interrupted = 4;   // EINTR
        private const int WouldBlock = 11;   // EAGAIN: a non-blocking stdout that is full for now
        private const int BrokenPipe = 32;   // EPIPE: the reader went away; like the console, drop the output
        private const int SigPipe = 13;
        private static readonly nint IgnoreSignal = 1;  // SIG_IGN

        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

        private bool sigPipeIgnored;

        public override Encoding Encoding => Utf8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value) => WriteBytes(Utf8.GetBytes(value ?? ""));

        public override void WriteLine(string? value) => WriteBytes(Utf8.GetBytes((value ?? "") + "\n"));

        public override void WriteLine() => WriteBytes("\n"u8);

        private void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            if (!sigPipeIgnored)
            {
                // The runtime ignores SIGPIPE only once the console or a child process has set up signal handling;
                // without this a closed pipe would kill the process instead of returning EPIPE. Done at the first
                // write, the last thing every command does, so browsers started earlier keep the default.
                _ = Signal(SigPipe, IgnoreSignal);
                sigPipeIgnored = true;
            }
            while (!bytes.IsEmpty)
            {
                var written = WriteSystemCall(StandardOutputDescriptor, bytes, bytes.Length);
                if (written >= 0)
                {
                    bytes = bytes[(int)written..];
                    continue;
                }
                var error = Marshal.GetLastPInvokeError();
                if (error == Interrupted) continue;
                if (error == WouldBlock)
                {
                    Thread.Sleep(1);
                    continue;
                }
                if (error == BrokenPipe) return;
                throw new IOException($"cannot write to standard output (errno {error}).");
            }
        }

        [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
        private static partial nint WriteSystemCall(int descriptor, ReadOnlySpan<byte> buffer, nint count);

        [LibraryImport("libc", EntryPoint = "signal")]
        private static partial nint Signal(int signal, nint handler);
    }
}
