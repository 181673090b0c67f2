using System.Text;
using Ccwb.Credentials.Signing;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Tests.Unit;

public class SigV4SignerTests
{
    // AWS's published worked example ("Create a signed AWS API request", IAM ListUsers).
    private static readonly AwsCredentials Example = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", DateTimeOffset.MaxValue);
    private static readonly DateTimeOffset ExampleTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Fact]
    public void Header_signature_matches_the_published_worked_example()
    {
        var added = SigV4Signer.SignHeaders("GET", new Uri("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
            [new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], SigV4Signer.EmptyPayloadHash,
            Example, "us-east-1", "iam", ExampleTime);

        Assert.Equal("20150830T123600Z", added.Single(h => h.Key == "X-Amz-Date").Value);
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date, " +
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            added.Single(h => h.Key == "Authorization").Value);
        Assert.DoesNotContain(added, h => h.Key == "X-Amz-Security-Token");
    }

    [Fact]
    public void Temporary_credentials_sign_their_session_token()
    {
        var temporary = Example with { SessionToken = "token/with+chars" };
        var added = SigV4Signer.SignHeaders("GET", new Uri("https://api.example.com/prod/check"), [], SigV4Signer.EmptyPayloadHash,
            temporary, "eu-west-1", "execute-api", ExampleTime);

        Assert.Equal("token/with+chars", added.Single(h => h.Key == "X-Amz-Security-Token").Value);
        Assert.Contains("SignedHeaders=host;x-amz-date;x-amz-security-token,", added.Single(h => h.Key == "Authorization").Value);
    }

    [Fact]
    public void Presigned_query_is_sorted_encoded_and_carries_every_authentication_parameter()
    {
        var query = SigV4Signer.PresignQuery("POST", new Uri("https://bedrock.amazonaws.com/"), [new("Action", "CallWithBearerToken")],
            Example with { SessionToken = "a b/c" }, "us-west-2", "bedrock", ExampleTime, 43200, SigV4Signer.UnsignedPayload);

        var names = query.Split('&').Select(p => p.Split('=')[0]).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-west-2%2Fbedrock%2Faws4_request", query);
        Assert.Contains("X-Amz-Security-Token=a%20b%2Fc", query);
        Assert.Contains("X-Amz-Expires=43200", query);
        Assert.Matches("(^|&)X-Amz-Signature=[0-9a-f]{64}(&|$)", query);
    }

    [Fact]
    public void Payload_hash_of_a_body_is_lower_case_hex_sha256()
    {
        Assert.Equal(SigV4Signer.EmptyPayloadHash, SigV4Signer.PayloadHash([]));
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", SigV4Signer.PayloadHash(Encoding.UTF8.GetBytes("hello")));
    }

    /// <summary>Sorted by encoded name, then value, each pair as a whole: a name that another extends comes first.</summary>
    [Fact]
    public void Canonical_query_sorts_by_encoded_name_then_value()
    {
        KeyValuePair<string, string>[] parameters = [new("a-b", "1"), new("a", "2"), new("a%", "x"), new("a", "1"), new("B", "z y")];

        Assert.Equal("B=z%20y&a=1&a=2&a%25=x&a-b=1", SigV4Signer.CanonicalQuery(parameters));
    }
}
