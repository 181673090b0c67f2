using Ccwb.Credentials.Storage;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Unit;

/// <summary><c>&lt;profile&gt;-monitoring.json</c> as session storage reads it: the shapes it accepts, and a miss for the rest.</summary>
public class MonitoringTokenFileTests
{
    [Fact]
    public void A_saved_token_reads_back_and_a_missing_profile_is_the_reading_profile()
    {
        using var home = new TempDirectory("ccwb-monitoring");
        var cache = new SessionCredentialCache(new SessionPaths(home.Path));
        cache.SaveMonitoringToken("dev", new MonitoringToken("eyJ.a.b", 1_900_000_000, "alice@example.com", "dev"));
        Assert.Equal(new MonitoringToken("eyJ.a.b", 1_900_000_000, "alice@example.com", "dev"), cache.ReadMonitoringToken("dev"));

        Write(home, "{\"token\":\"eyJ.c.d\",\"expires\":5,\"email\":null}");
        Assert.Equal(new MonitoringToken("eyJ.c.d", 5, null, "dev"), cache.ReadMonitoringToken("dev"));

        // As Windows PowerShell's UTF-8 writes it, with a byte order mark.
        Write(home, "\uFEFF{\"token\":\"eyJ.e.f\",\"expires\":6}");
        Assert.Equal(new MonitoringToken("eyJ.e.f", 6, null, "dev"), cache.ReadMonitoringToken("dev"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[\"eyJ.a.b\"]")]
    [InlineData("{\"token\":\"\",\"expires\":5}")]
    [InlineData("{\"expires\":5}")]
    [InlineData("{\"token\":7,\"expires\":5}")]
    [InlineData("{\"token\":\"eyJ.a.b\",\"expires\":\"5\"}")]
    [InlineData("{\"token\":\"eyJ.a.b\",\"expires\":5.5}")]
    [InlineData("{\"token\":\"eyJ.a.b\",\"email\":{}}")]
    [InlineData("{\"token\":\"eyJ.a.b\"")]
    public void Anything_else_is_no_token(string content)
    {
        using var home = new TempDirectory("ccwb-monitoring");
        Write(home, content);
        Assert.Null(new SessionCredentialCache(new SessionPaths(home.Path)).ReadMonitoringToken("dev"));
    }

    private static void Write(TempDirectory home, string content)
    {
        Directory.CreateDirectory(home.Combine(".claude-code-session"));
        File.WriteAllText(home.Combine(".claude-code-session", "dev-monitoring.json"), content);
    }
}
