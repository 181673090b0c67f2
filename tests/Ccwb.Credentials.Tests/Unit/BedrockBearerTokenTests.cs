using System.Text;
using Ccwb.Credentials.Signing;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Tests.Unit;

/// <summary>
/// <see cref="BedrockBearerToken.IsCurrentFor"/>: when a desktop token handed out before may be handed out again instead
/// of a new one. Anything but a token made from exactly these credentials, for this region, and lasting as long as
/// they do is refused.
/// </summary>
public class BedrockBearerTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly AwsCredentials Credentials = new("ASIAKEPT000000000001", "kept/secret+key", "IQoJ+session/token==", Now.AddHours(1));

    private static string Made(DateTimeOffset signedAt, AwsCredentials? credentials = null, string region = "eu-west-1") =>
        BedrockBearerToken.Create(credentials ?? Credentials, region, signedAt);

    /// <summary>The token with its presigned URL rewritten (the base64 layer kept valid, so only the change is judged).</summary>
    private static string Rewritten(string token, Func<string, string> change) =>
        BedrockBearerToken.Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(change(
            Encoding.UTF8.GetString(Convert.FromBase64String(token[BedrockBearerToken.Prefix.Length..])))));

    [Fact]
    public void A_token_made_from_these_credentials_earlier_is_current()
    {
        Assert.True(BedrockBearerToken.IsCurrentFor(Made(Now.AddMinutes(-20)), Credentials, "eu-west-1", Now));
        Assert.True(BedrockBearerToken.IsCurrentFor(Made(Now), Credentials, "eu-west-1", Now));
    }

    public static TheoryData<string, string> Refused()
    {
        var good = Made(Now.AddMinutes(-20));
        return new()
        {
            { "another session token", Made(Now.AddMinutes(-20), Credentials with { SessionToken = "IQoJ+other" }) },
            { "another access key", Made(Now.AddMinutes(-20), Credentials with { AccessKeyId = "ASIAKEPT000000000002" }) },
            { "another region", Made(Now.AddMinutes(-20), region: "us-east-1") },
            { "signed in the future", Made(Now.AddSeconds(1)) },
            { "ends before the credentials", Made(Credentials.Expiration.AddHours(-12).AddSeconds(-1)) },
            { "another action", Rewritten(good, url => url.Replace("CallWithBearerToken", "InvokeModel", StringComparison.Ordinal)) },
            { "a longer lifetime", Rewritten(good, url => url.Replace("X-Amz-Expires=43200", "X-Amz-Expires=604800", StringComparison.Ordinal)) },
            { "another service", Rewritten(good, url => url.Replace("%2Fbedrock%2F", "%2Fs3%2F", StringComparison.Ordinal)) },
            { "an extra parameter", Rewritten(good, url => url.Replace("&Version=1", "&X-Amz-Extra=1&Version=1", StringComparison.Ordinal)) },
            { "two signatures", Rewritten(good, url => url.Replace("&Version=1", "&X-Amz-Signature=" + new string('0', 64) + "&Version=1", StringComparison.Ordinal)) },
            { "a short signature", Rewritten(good, url => url.Replace("X-Amz-Signature=", "X-Amz-Signature=0", StringComparison.Ordinal)) },
            { "no Version", Rewritten(good, url => url.Replace("&Version=1", "", StringComparison.Ordinal)) },
            { "another host", Rewritten(good, url => "bedrock.example.com" + url["bedrock.amazonaws.com".Length..]) },
            { "white space in the base64", good[..40] + "\n" + good[40..] },
            { "a quote after it", good + "\"" },
            { "another prefix", "bedrock-key-" + good[BedrockBearerToken.Prefix.Length..] },
            { "not base64", BedrockBearerToken.Prefix + "***" },
            { "empty", "" },
        };
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_token_that_is_not_exactly_current_is_refused(string why, string token) =>
        Assert.False(BedrockBearerToken.IsCurrentFor(token, Credentials, "eu-west-1", Now), why);
}
