namespace Ccwb.Contract.Files;

/// <summary>
/// Read-modify-write of an AWS shared file (<c>~/.aws/credentials</c>, <c>~/.aws/config</c>) under a lock, so that two
/// of our processes updating different profiles at once lose nothing; written atomically and only when it changed.
/// </summary>
public static class AwsIniFile
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

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

    /// <summary>Applies <paramref name="edit"/> to the current text and writes the result if it differs.</summary>
    /// <param name="newLineIfNone">As for <see cref="Read"/>.</param>
    public static T Update<T>(string path, Func<AwsIniText, T> edit, string? newLineIfNone = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        AtomicFile.CreatePrivateDirectory(directory);
        using var held = Lock(Path.Combine(directory, "." + Path.GetFileName(path) + ".lock"));
        var text = Read(path, newLineIfNone);
        var before = text.ToString();
        var result = edit(text);
        var after = text.ToString();
        if (after != before) AtomicFile.WriteAllText(path, after);
        return result;
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
