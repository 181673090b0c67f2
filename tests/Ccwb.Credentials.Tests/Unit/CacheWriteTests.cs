using Ccwb.Credentials.Config;
using Ccwb.Credentials.Flow;
using Ccwb.Credentials.Storage;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Unit;

/// <summary>Saving credentials that were already handed out: a busy or unwritable cache never costs them.</summary>
public class CacheWriteTests
{
    private const int SharingViolation = unchecked((int)0x80070020); // how .NET on Windows reports ERROR_SHARING_VIOLATION

    private static readonly AwsCredentials Credentials = new("ASIAEXAMPLE", "secret", "token", DateTimeOffset.UtcNow.AddHours(1));

    private static (CredentialCommands Commands, StringWriter Errors) Commands(ICredentialCache cache, TempDirectory home)
    {
        var errors = new StringWriter();
        var commands = new CredentialCommands(new CommandContext(new ProfileConfig { Name = "dev" }, new SessionPaths(home.Path), cache, TextWriter.Null,
            new Diagnostics(errors, debugEnabled: false), _ => null, TimeProvider.System)
        {
            SecretStore = () => throw new InvalidOperationException("no secret store"),
        });
        return (commands, errors);
    }

    [Fact]
    public void A_file_another_program_holds_open_briefly_is_retried_and_then_saved()
    {
        using var home = new TempDirectory("ccwb-cache");
        var cache = new BusyCache(failures: 2, SharingViolation);
        var (commands, errors) = Commands(cache, home);

        commands.Cache(Credentials);

        Assert.Equal((3, Credentials), (cache.Attempts, cache.Saved));
        Assert.Equal("", errors.ToString());
    }

    [Fact]
    public void A_file_that_stays_locked_is_a_warning_after_a_few_short_retries()
    {
        using var home = new TempDirectory("ccwb-cache");
        var cache = new BusyCache(failures: int.MaxValue, SharingViolation);
        var (commands, errors) = Commands(cache, home);

        commands.Cache(Credentials);

        Assert.Equal(5, cache.Attempts);
        Assert.StartsWith("warning: credential cache: cannot save the credentials (", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Other_write_errors_are_a_warning_at_once()
    {
        using var home = new TempDirectory("ccwb-cache");
        var cache = new BusyCache(failures: int.MaxValue, hresult: 30); // EROFS: a read-only home
        var (commands, errors) = Commands(cache, home);

        commands.Cache(Credentials);

        Assert.Equal(1, cache.Attempts);
        Assert.StartsWith("warning: credential cache: cannot save the credentials (", errors.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A cache whose first <c>failures</c> saves fail as a Windows file held open by another process would.</summary>
    private sealed class BusyCache(int failures, int hresult) : ICredentialCache
    {
        public int Attempts { get; private set; }
        public AwsCredentials? Saved { get; private set; }

        public void SaveCredentials(string profile, AwsCredentials credentials)
        {
            if (++Attempts <= failures) throw new IOException("The process cannot access the file because it is being used by another process.", hresult);
            Saved = credentials;
        }

        public AwsCredentials? ReadCredentials(string profile) => null;
        public void ClearCredentials(string profile) { }
        public MonitoringToken? ReadMonitoringToken(string profile) => null;
        public void SaveMonitoringToken(string profile, MonitoringToken token) { }
        public void ClearMonitoringToken(string profile) { }
        public string? ReadDesktopToken(string profile) => null;
        public void SaveDesktopToken(string profile, string token) { }
    }
}
