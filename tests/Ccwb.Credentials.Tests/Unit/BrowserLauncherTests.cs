using Ccwb.Credentials.Oidc;

namespace Ccwb.Credentials.Tests.Unit;

/// <summary>How the sign-in URL is handed to a browser; the Windows cases are decided here and run on Windows CI.</summary>
public class BrowserLauncherTests
{
    private const string Url = "https://idp.example.com/authorize?state=s";

    [Fact]
    public void On_Windows_rundll32_is_started_by_its_full_System32_path()
    {
        var start = BrowserLauncher.StartInfo(Url, null, windows: true, @"C:\Windows\system32");

        Assert.Equal(@"C:\Windows\system32\rundll32.exe", start.FileName);
        Assert.Equal(["url.dll,FileProtocolHandler", Url], start.ArgumentList);
        Assert.False(start.UseShellExecute);
    }

    [Theory]
    [InlineData("firefox")]
    [InlineData("firefox.exe")]
    [InlineData(@"tools\browser.exe")]
    [InlineData(@"C:browser.exe")]
    public void On_Windows_a_relative_BROWSER_is_refused(string browser)
    {
        // The current directory is searched first on Windows: a planted firefox.exe would run instead.
        var error = Assert.Throws<InvalidOperationException>(() => BrowserLauncher.StartInfo(Url, browser, windows: true, @"C:\Windows\system32"));

        Assert.StartsWith($"BROWSER '{browser}' is not a full path", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"C:\Program Files\Mozilla Firefox\firefox.exe")]
    [InlineData(@"\\server\share\browser.exe")]
    public void On_Windows_a_BROWSER_with_a_full_path_is_started(string browser)
    {
        var start = BrowserLauncher.StartInfo(Url, browser, windows: true, @"C:\Windows\system32");

        Assert.Equal(browser, start.FileName);
        Assert.Equal([Url], start.ArgumentList);
    }

    [Fact]
    public void Elsewhere_a_BROWSER_on_the_PATH_is_fine()
    {
        var start = BrowserLauncher.StartInfo(Url, "firefox", windows: false, "");

        Assert.Equal("/bin/sh", start.FileName);
        Assert.Equal("firefox", start.ArgumentList[2]);
    }
}
