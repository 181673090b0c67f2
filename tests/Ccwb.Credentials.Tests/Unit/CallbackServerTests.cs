using System.Net;
using Ccwb.Credentials.Oidc;
using Ccwb.Testing.Peers;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Unit;

public class CallbackServerTests
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(int port, string pathAndQuery)
    {
        using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}{pathAndQuery}"), TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Other_paths_get_404_and_do_not_end_the_sign_in_then_the_callback_delivers_the_code()
    {
        using var server = CallbackServer.TryStart(AwsPeer.FreePort())!;
        var wait = server.WaitForCodeAsync("s1", TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server.Port, "/favicon.ico")).Status);
        Assert.False(wait.IsCompleted);
        var (status, body) = await GetAsync(server.Port, "/callback?code=abc%2F1&state=s1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("abc/1", await wait);
        Snapshot.Verify(body, "html");
    }

    [Theory]
    [InlineData("/callback?code=abc&state=wrong", "Invalid response", "Invalid state or missing code")]
    [InlineData("/callback?state=s1", "Invalid response", "Invalid state or missing code")]
    [InlineData("/callback?error=access_denied&error_description=%3Cb%3Enope%3C%2Fb%3E&state=s1", "Authentication failed", "authentication error: <b>nope</b>")]
    [InlineData("/callback?error=consent_required", "Authentication failed", "authentication error: consent_required")]
    public async Task Bad_callbacks_answer_400_and_fail_the_sign_in(string pathAndQuery, string page, string error)
    {
        using var server = CallbackServer.TryStart(AwsPeer.FreePort())!;
        var wait = server.WaitForCodeAsync("s1", TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        var (status, body) = await GetAsync(server.Port, pathAndQuery);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"<h1>{page}</h1>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", body, StringComparison.Ordinal);
        Assert.Contains(error, (await Assert.ThrowsAsync<OidcException>(() => wait)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_port_is_a_lock_a_second_server_cannot_bind_and_waiters_recognise_the_holder()
    {
        var port = AwsPeer.FreePort();
        using (var first = CallbackServer.TryStart(port)!)
        {
            Assert.Null(CallbackServer.TryStart(port));
            var probe = await GetAsync(port, CallbackServer.ProbePath);
            Assert.Equal(HttpStatusCode.OK, probe.Status);
            var waited = await SignInLock.AcquireAsync(port, TimeSpan.FromSeconds(1), _ => { }, TestContext.Current.CancellationToken);
            Assert.Null(waited);
        }
        using var after = await SignInLock.AcquireAsync(port, TimeSpan.FromSeconds(5), _ => { }, TestContext.Current.CancellationToken);
        Assert.NotNull(after);
    }

    [Fact]
    public async Task Timeout_message_uses_the_upstream_wording()
    {
        using var server = CallbackServer.TryStart(AwsPeer.FreePort())!;
        var e = await Assert.ThrowsAsync<OidcException>(() => server.WaitForCodeAsync("s", TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken));
        Assert.StartsWith("authentication timeout - no authorization code received within 0s", e.Message, StringComparison.Ordinal);
        Assert.Equal("5m0s", CallbackServer.GoDuration(TimeSpan.FromSeconds(300)));
        Assert.Equal("1h0m5s", CallbackServer.GoDuration(TimeSpan.FromSeconds(3605)));
    }
}

public class HeadlessSessionTests
{
    [Theory]
    [InlineData("BROWSER=/usr/bin/firefox SSH_TTY=/dev/pts/1", false, false)]
    [InlineData("SSH_CONNECTION=1.2.3.4", true, true)]
    [InlineData("SSH_CLIENT=1.2.3.4 DISPLAY=:0", false, true)]
    [InlineData("", true, false)]
    [InlineData("", false, true)]
    [InlineData("DISPLAY=:0", false, false)]
    [InlineData("WAYLAND_DISPLAY=wayland-0", false, false)]
    public void Headless_detection_matrix(string variables, bool windowsOrMac, bool expected)
    {
        var env = variables.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=')).ToDictionary(v => v[0], v => v[1]);
        Assert.Equal(expected, Ccwb.Credentials.Oidc.HeadlessSession.IsHeadless(k => env.GetValueOrDefault(k), windowsOrMac));
    }
}
