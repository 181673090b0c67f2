using Ccwb.Credentials.Storage;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Unit;

public class SharedCredentialsFileTests
{
    private const string Existing = """
        # Managed by hand
        [default]
        aws_access_key_id = AKIADEFAULT
        aws_secret_access_key = secret#with#hashes

        [ClaudeCode]
        aws_access_key_id = OLD
        aws_secret_access_key = OLD
        aws_session_token = OLD
        x-expiration = 2020-01-01T00:00:00Z

        ; comment before the next section
        [other]
        region=eu-west-1

        """;

    private static readonly AwsCredentials Fresh = new("ASIANEW", "s3cr3t/+=", "Token+/=#1", new DateTimeOffset(2026, 11, 25, 13, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Writing_replaces_only_the_profile_section()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine(".aws", "credentials");
        Directory.CreateDirectory(dir.Combine(".aws"));
        File.WriteAllText(path, Existing.Replace("\r\n", "\n", StringComparison.Ordinal));
        var file = new SharedCredentialsFile(path);

        file.Write("ClaudeCode", Fresh);

        Snapshot.Verify(File.ReadAllText(path), "ini");
        Assert.Equal(Fresh, file.Read("ClaudeCode"));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        // No temporary file is left behind; the lock file beside it serialises writers and stays.
        Assert.Equal([".credentials.lock", "credentials"], Directory.GetFiles(dir.Combine(".aws")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Removing_deletes_the_section_and_keeps_the_rest()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("credentials");
        File.WriteAllText(path, Existing.Replace("\r\n", "\n", StringComparison.Ordinal));
        var file = new SharedCredentialsFile(path);

        Assert.True(file.Remove("ClaudeCode"));
        Assert.False(file.Remove("ClaudeCode"));

        Snapshot.Verify(File.ReadAllText(path), "ini");
        Assert.Null(file.Read("ClaudeCode"));
        Assert.Null(file.Read("default"));
    }

    [Fact]
    public void A_new_file_and_folder_are_private()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("home", ".aws", "credentials");
        new SharedCredentialsFile(path).Write("P", Fresh);
        Assert.Equal($"[P]\naws_access_key_id = ASIANEW\naws_secret_access_key = s3cr3t/+=\naws_session_token = Token+/=#1\nx-expiration = 2026-11-25T13:00:00Z\n",
            File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir.Combine("home", ".aws")));
    }

    [Fact]
    public void Crlf_files_keep_their_line_ends()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("credentials");
        File.WriteAllText(path, "[default]\r\naws_access_key_id = AKIA\r\n");
        new SharedCredentialsFile(path).Write("P", Fresh);
        var text = File.ReadAllText(path);
        Assert.StartsWith("[default]\r\naws_access_key_id = AKIA\r\n\r\n[P]\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\r", text, StringComparison.Ordinal);
        Assert.Equal(text.Split('\n').Length - 1, text.Split("\r\n").Length - 1);
    }

    [Fact]
    public void Placeholder_and_incomplete_sections_are_misses()
    {
        using var dir = new TempDirectory();
        var paths = new SessionPaths(dir.Path);
        Directory.CreateDirectory(dir.Combine(".aws"));
        File.WriteAllText(paths.AwsCredentials, "[A]\naws_access_key_id = EXPIRED\naws_secret_access_key = EXPIRED\naws_session_token = EXPIRED\n[B]\naws_access_key_id = X\n");
        var cache = new SessionCredentialCache(paths);
        Assert.Null(cache.ReadCredentials("A"));
        Assert.Null(cache.ReadCredentials("B"));
        Assert.Null(cache.ReadCredentials("C"));
    }

    [Fact]
    public void Monitoring_token_round_trips_as_a_private_file()
    {
        using var dir = new TempDirectory();
        var cache = new SessionCredentialCache(new SessionPaths(dir.Path));
        var token = new MonitoringToken("a.b.c", 1_900_000_000, "alice@example.com", "P");
        cache.SaveMonitoringToken("P", token);
        Assert.Equal(token, cache.ReadMonitoringToken("P"));
        var path = dir.Combine(".claude-code-session", "P-monitoring.json");
        Assert.Equal("""{"token":"a.b.c","expires":1900000000,"email":"alice@example.com","profile":"P"}""", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        cache.ClearMonitoringToken("P");
        Assert.Null(cache.ReadMonitoringToken("P"));
    }

    [Fact]
    public void Refresh_token_store_ignores_empty_tokens_and_replaces_rotated_ones()
    {
        using var dir = new TempDirectory();
        var store = new RefreshTokenStore(new SessionPaths(dir.Path), TimeProvider.System);
        store.Save("P", "");
        Assert.Null(store.Read("P"));
        store.Save("P", "first");
        store.Save("P", "second");
        Assert.Equal("second", store.Read("P"));
        Assert.True(store.Delete("P"));
        Assert.Null(store.Read("P"));
    }
}
