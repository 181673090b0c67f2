using System.Text;

namespace Ccwb.Contract.Files;

/// <summary>
/// Read-modify-write of an AWS shared file (<c>~/.aws/credentials</c>, <c>~/.aws/config</c>) under a lock, so that two
/// of our processes updating different profiles at once lose nothing; written atomically, only when it changed, and
/// never over a change another program made after we read it.
/// </summary>
public static class AwsIniFile
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);
    private const int UpdateAttempts = 5;

    /// <summary>The AWS config file as the AWS CLI and SDKs find it: <c>AWS_CONFIG_FILE</c>, else <c>~/.aws/config</c>.</summary>
    public static string ConfigPath(Func<string, string?> environment, string home) =>
        environment("AWS_CONFIG_FILE") is { Length: > 0 } configured ? configured : Path.Combine(home, ".aws", "config");

    /// <summary>The shared credentials file: <c>AWS_SHARED_CREDENTIALS_FILE</c>, else <c>~/.aws/credentials</c>.</summary>
    public static string CredentialsPath(Func<string, string?> environment, string home) =>
        environment("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } configured ? configured : Path.Combine(home, ".aws", "credentials");

    /// <summary>The file's text as an <see cref="AwsIniText"/>; empty when the file or its folder does not exist.</summary>
    /// <param name="newLineIfNone">The line end of a file that has none yet: the platform's own unless given (as the AWS CLI writes).</param>
    public static AwsIniText Read(string path, string? newLineIfNone = null)
    {
        // The text straight from the file: this runs on the credential helper's cached path, where Update's byte copy
        // (kept to compare before writing) would be work for nothing.
        newLineIfNone ??= Environment.NewLine;
        try { return AwsIniText.Parse(File.ReadAllText(path), newLineIfNone); }
        catch (FileNotFoundException) { return AwsIniText.Parse("", newLineIfNone); }
        catch (DirectoryNotFoundException) { return AwsIniText.Parse("", newLineIfNone); }
    }

    /// <summary>Applies <paramref name="edit"/> to the current text and writes the result if it differs.</summary>
    public static void Update(string path, Action<AwsIniText> edit, string? newLineIfNone = null) => Update(path, text =>
    {
        edit(text);
        return true;
    }, newLineIfNone);

    /// <summary>
    /// Applies <paramref name="edit"/> to the current text and writes the result if it differs. The edit may run more
    /// than once (it must only change the text): when another program changed the file while we merged, the merge is
    /// done again from the new content rather than written over a change we never saw.
    /// </summary>
    /// <param name="newLineIfNone">As for <see cref="Read"/>.</param>
    /// <exception cref="IOException">The lock was not free within 10 s, or the file kept changing under every attempt.</exception>
    public static T Update<T>(string path, Func<AwsIniText, T> edit, string? newLineIfNone = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        AtomicFile.CreatePrivateDirectory(directory);
        // The lock orders our own writers. Other programs (`aws configure set`, editors) do not take it: the AWS CLI
        // reads the file and later rewrites it in place with no lock at all. So the content read here is compared
        // with the file's content again just before the rename, and a change found there means merge again.
        // What remains: (1) a write landing in the microseconds between that comparison and the rename is lost;
        // (2) the CLI's own window: if it read the file before our rename and writes after it, it puts back its stale
        // copy, and the section we just wrote is gone. For ~/.aws/credentials that costs a cache entry only (the
        // helper mints again on its next call); neither can be closed without the other program taking our lock.
        using var held = Lock(Path.Combine(directory, "." + Path.GetFileName(path) + ".lock"));
        for (var attempt = 1; ; attempt++)
        {
            var original = ReadBytes(path);
            var text = Parse(original, newLineIfNone);
            var before = text.ToString();
            var result = edit(text);
            var after = text.ToString();
            if (after == before) return result;
            var content = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(after);
            if (AtomicFile.TryWriteAllBytes(path, content, stillCurrent: () => SameContent(ReadBytes(path), original))) return result;
            if (attempt == UpdateAttempts)
                throw new IOException($"{path} changed under each of {UpdateAttempts} attempts to update it (another program keeps writing it)");
        }
    }

    /// <summary>The file's bytes; null when it or its folder does not exist.</summary>
    private static byte[]? ReadBytes(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    private static bool SameContent(byte[]? now, byte[]? then) =>
        now is null ? then is null : then is not null && now.AsSpan().SequenceEqual(then);

    // Decoded as File.ReadAllText does (UTF-8 unless a byte order mark says otherwise).
    private static AwsIniText Parse(byte[]? bytes, string? newLineIfNone)
    {
        newLineIfNone ??= Environment.NewLine;
        if (bytes is null) return AwsIniText.Parse("", newLineIfNone);
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return AwsIniText.Parse(reader.ReadToEnd(), newLineIfNone);
    }

    // An exclusive open of a lock file beside the target: .NET takes an advisory flock on Unix and a share lock on
    // Windows, both released when the process ends, so a crashed writer never leaves the file locked.
    private static FileStream Lock(string lockPath)
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = AtomicFile.OwnerReadWrite;
                return new FileStream(lockPath, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }
}
