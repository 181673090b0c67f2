using Ccwb.Credentials.Flow;

namespace Ccwb.Credentials.Tests.Unit;

public class SignInOptionsTests
{
    private static SignInOptions From(params (string Name, string Value)[] variables)
    {
        var env = variables.ToDictionary(v => v.Name, v => v.Value);
        return SignInOptions.FromEnvironment(k => env.GetValueOrDefault(k));
    }

    [Theory]
    [InlineData(null, 8500, 8500)]
    [InlineData("9000", 8500, 9000)]
    [InlineData("0", 8500, 8500)]
    [InlineData("-1", 8500, 8500)]
    [InlineData("70000", 8500, 8500)]
    [InlineData("abc", 8500, 8500)]
    [InlineData(null, 0, 8400)]
    public void Redirect_port_is_the_environment_then_config_then_8400_and_never_0(string? variable, int configured, int expected)
    {
        var options = variable is null ? From() : From(("REDIRECT_PORT", variable));
        Assert.Equal(expected, options.RedirectPort(configured));
    }

    [Fact]
    public void Browser_wait_defaults_to_five_minutes_and_waiting_callers_wait_longer_than_the_sign_in()
    {
        Assert.Equal(TimeSpan.FromSeconds(300), From().AuthenticationTimeout);
        var shortened = From(("CCWB_AUTH_TIMEOUT_SECONDS", "7"));
        Assert.Equal(TimeSpan.FromSeconds(7), shortened.AuthenticationTimeout);
        Assert.True(shortened.LockWait > shortened.AuthenticationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(300), From(("CCWB_AUTH_TIMEOUT_SECONDS", "0")).AuthenticationTimeout);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("TRUE", true)]
    [InlineData("yes", true)]
    [InlineData("0", false)]
    [InlineData(null, false)]
    public void Debug_output_is_enabled_by_cognito_auth_debug(string? value, bool expected) =>
        Assert.Equal(expected, Diagnostics.DebugRequested(value));
}
