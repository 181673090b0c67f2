namespace Ccwb.Http.Tests;

/// <summary>Which proxy, if any, a URL uses, from the environment variables curl and the AWS CLI read.</summary>
public class ProxySelectorTests
{
    private static Uri? ProxyFor(string url, params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        return new ProxySelector(name => environment.GetValueOrDefault(name)).ProxyFor(new Uri(url));
    }

    [Theory]
    [InlineData("https://sts.amazonaws.com/", "http://lower-https:1/")]
    [InlineData("http://example.com/", "http://lower-http:1/")]
    public void Lowercase_variables_come_before_uppercase_ones(string url, string expected)
    {
        var proxy = ProxyFor(url, ("https_proxy", "http://lower-https:1"), ("HTTPS_PROXY", "http://upper-https:1"),
            ("http_proxy", "http://lower-http:1"), ("HTTP_PROXY", "http://upper-http:1"),
            ("all_proxy", "http://lower-all:1"), ("ALL_PROXY", "http://upper-all:1"));

        Assert.Equal(expected, proxy?.ToString());
    }

    [Fact]
    public void Uppercase_is_used_when_lowercase_is_unset_empty_or_blank()
    {
        Assert.Equal("upper", ProxyFor("https://a.example/", ("HTTPS_PROXY", "http://upper:1"))?.Host);
        Assert.Equal("upper", ProxyFor("https://a.example/", ("https_proxy", ""), ("HTTPS_PROXY", "http://upper:1"))?.Host);
        Assert.Equal("upper", ProxyFor("https://a.example/", ("https_proxy", "  "), ("HTTPS_PROXY", "http://upper:1"))?.Host);
    }

    [Fact]
    public void An_https_URL_uses_https_proxy_and_never_http_proxy()
    {
        Assert.Null(ProxyFor("https://a.example/", ("http_proxy", "http://plain:1"), ("HTTP_PROXY", "http://plain:1")));
        Assert.Equal("secure", ProxyFor("https://a.example/", ("http_proxy", "http://plain:1"), ("https_proxy", "http://secure:1"))?.Host);
    }

    [Fact]
    public void An_http_URL_uses_http_proxy_and_never_https_proxy()
    {
        Assert.Null(ProxyFor("http://a.example/", ("https_proxy", "http://secure:1"), ("HTTPS_PROXY", "http://secure:1")));
        Assert.Equal("plain", ProxyFor("http://a.example/", ("https_proxy", "http://secure:1"), ("http_proxy", "http://plain:1"))?.Host);
    }

    [Theory]
    [InlineData("all_proxy")]
    [InlineData("ALL_PROXY")]
    public void all_proxy_is_the_fallback_for_both_schemes(string name)
    {
        Assert.Equal("everything", ProxyFor("https://a.example/", (name, "http://everything:1"))?.Host);
        Assert.Equal("everything", ProxyFor("http://a.example/", (name, "http://everything:1"))?.Host);
        Assert.Equal("specific", ProxyFor("https://a.example/", (name, "http://everything:1"), ("HTTPS_PROXY", "http://specific:1"))?.Host);
    }

    [Fact]
    public void No_variables_means_a_direct_connection()
    {
        Assert.Null(ProxyFor("https://a.example/"));
    }

    [Fact]
    public void A_proxy_without_a_scheme_is_taken_as_http()
    {
        Assert.Equal("http://proxy.corp.example:3128/", ProxyFor("https://a.example/", ("https_proxy", "proxy.corp.example:3128"))?.ToString());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LocalHost")]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("[::1]")]
    public void Loopback_hosts_never_use_a_proxy(string host)
    {
        Assert.Null(ProxyFor($"https://{host}:8443/", ("https_proxy", "http://proxy:1"), ("all_proxy", "http://proxy:1")));
        Assert.Null(ProxyFor($"http://{host}:8400/callback", ("http_proxy", "http://proxy:1")));
    }

    [Theory]
    [InlineData("sts.amazonaws.com", "sts.amazonaws.com", true)]            // exact
    [InlineData("STS.AmazonAWS.com", "sts.amazonaws.com", true)]            // exact, any case
    [InlineData("amazonaws.com", "sts.us-east-1.amazonaws.com", true)]      // suffix
    [InlineData(".amazonaws.com", "sts.amazonaws.com", true)]               // leading dot
    [InlineData(".amazonaws.com", "amazonaws.com", true)]                   // leading dot also covers the domain itself
    [InlineData("*.amazonaws.com", "sts.amazonaws.com", true)]              // leading wildcard
    [InlineData("*", "anything.example", true)]                             // everything
    [InlineData("sts.amazonaws.com:443", "sts.amazonaws.com", true)]        // with port
    [InlineData("10.1.2.3", "10.1.2.3", true)]                              // IPv4 address
    [InlineData("[2001:db8::1]:443", "[2001:db8::1]", true)]                // bracketed IPv6 with port
    [InlineData("2001:db8::1", "[2001:db8::1]", true)]                      // bare IPv6
    [InlineData("other.example, sts.amazonaws.com ,x", "sts.amazonaws.com", true)] // list with spaces
    [InlineData("amazonaws.com", "evilamazonaws.com", false)]               // a suffix must start at a dot
    [InlineData("sts.amazonaws.com", "amazonaws.com", false)]               // a subdomain entry does not cover its parent
    [InlineData("10.1.2.3", "10.1.2.30", false)]
    [InlineData("*.example", "example.org", false)]
    [InlineData(",,", "sts.amazonaws.com", false)]
    public void no_proxy_entries_bypass_the_proxy(string noProxy, string host, bool bypassed)
    {
        var proxy = ProxyFor($"https://{host}/", ("https_proxy", "http://proxy:1"), ("no_proxy", noProxy));

        Assert.Equal(bypassed, proxy is null);
    }

    [Fact]
    public void NO_PROXY_is_read_when_no_proxy_is_unset_and_no_proxy_comes_first()
    {
        Assert.Null(ProxyFor("https://a.example/", ("https_proxy", "http://proxy:1"), ("NO_PROXY", "a.example")));
        Assert.NotNull(ProxyFor("https://a.example/", ("https_proxy", "http://proxy:1"), ("no_proxy", "b.example"), ("NO_PROXY", "a.example")));
    }

    [Theory]
    [InlineData("https://proxy.corp.example:3128", "https")]
    [InlineData("socks5://proxy.corp.example:1080", "socks5")]
    [InlineData("socks5h://user:secret@proxy.corp.example:1080", "socks5h")]
    public void A_proxy_that_is_not_http_is_refused_with_a_clear_message(string value, string scheme)
    {
        var error = Assert.Throws<HttpTransportException>(() => ProxyFor("https://a.example/", ("HTTPS_PROXY", value)));

        Assert.Equal($"the proxy in HTTPS_PROXY uses '{scheme}://'; only http:// proxies are supported " +
                     "(https URLs still go through them encrypted, by CONNECT).", error.Message);
    }

    [Theory]
    [InlineData("http://user:secret@", "http://***@")]
    [InlineData("http://user:secret@proxy:notaport", "http://***@proxy:notaport")]
    [InlineData("user:secret@proxy:99999", "***@proxy:99999")]
    [InlineData("http://user:se@cret@[::1", "http://***@[::1")]
    public void An_unusable_proxy_value_is_named_without_its_password(string value, string shown)
    {
        var error = Assert.Throws<HttpTransportException>(() => ProxyFor("https://a.example/", ("https_proxy", value)));

        Assert.Equal($"the proxy in https_proxy ('{shown}') is not a URL such as http://proxy.example.com:3128.", error.Message);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cret", error.Message, StringComparison.Ordinal);
    }
}
