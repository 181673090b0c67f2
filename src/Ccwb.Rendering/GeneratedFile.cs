using System.Text;

namespace Ccwb.Rendering;

/// <summary>One rendered file: its path relative to the output folder (forward slashes) and its exact bytes.</summary>
public sealed record GeneratedFile(string Path, byte[] Content, bool Executable = false)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static GeneratedFile Text(string path, string content, bool executable = false) =>
        new(path, Utf8.GetBytes(content), executable);
}
