using System.Text;
using Ccwb.Contract.Files;

namespace Ccwb.UserSetup;

/// <summary>
/// A user's text file as read, remembering its byte-order mark and line ending, so that it can be written back with
/// every byte this tool did not mean to change unchanged.
/// </summary>
public sealed record UserTextFile(string Path, bool Exists, bool HasBom, string Text)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static UserTextFile Read(string path)
    {
        if (!File.Exists(path)) return new UserTextFile(path, Exists: false, HasBom: false, Text: "");
        var bytes = File.ReadAllBytes(path);
        var hasBom = bytes.AsSpan().StartsWith("\uFEFF"u8);
        try
        {
            return new UserTextFile(path, Exists: true, hasBom, StrictUtf8.GetString(bytes, hasBom ? 3 : 0, bytes.Length - (hasBom ? 3 : 0)));
        }
        catch (DecoderFallbackException)
        {
            // Rewriting text that is not UTF-8 would change bytes the user wrote; better to touch nothing.
            throw new SetupException($"{path} is not UTF-8 text; it was left unchanged.");
        }
    }

    /// <summary>The line ending the file already uses; Windows' own for a file without one.</summary>
    public string Newline => Text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n"
        : Text.Contains('\n', StringComparison.Ordinal) ? "\n" : "\r\n";

    /// <summary>Writes new text atomically, with the byte-order mark the file had.</summary>
    public void Write(string text) =>
        AtomicFile.WriteAllText(Path, HasBom ? "\uFEFF" + text : text);
}
