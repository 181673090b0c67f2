using System.Text.Json;
using Ccwb.Credentials.Flow;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Tests.Unit;

/// <summary>The hand-escaped credential line must stay byte for byte what Utf8JsonWriter's default encoder writes.</summary>
public class CredentialOutputTests
{
    private static readonly DateTimeOffset Expiration = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static void AssertSameAsJsonWriter(AwsCredentials credentials)
    {
        var expected = CredentialOutput.FormatWithJsonWriter(credentials, Rfc3339.Format(credentials.Expiration));
        Assert.Equal(expected, CredentialOutput.Format(credentials));
    }

    [Fact]
    public void Every_ascii_character_is_escaped_as_the_json_writer_escapes_it()
    {
        for (var c = 0; c < 128; c++)
        {
            var value = $"a{(char)c}b";
            AssertSameAsJsonWriter(new AwsCredentials(value, value, value, Expiration));
        }
    }

    [Fact]
    public void Random_ascii_values_match_the_json_writer()
    {
        var random = new Random(20261125);
        for (var i = 0; i < 500; i++)
        {
            string Next() => new([.. Enumerable.Range(0, random.Next(0, 60)).Select(_ => (char)random.Next(0, 128))]);
            AssertSameAsJsonWriter(new AwsCredentials(Next(), Next(), Next(), Expiration));
        }
    }

    [Fact]
    public void Non_ascii_values_are_written_by_the_json_writer()
    {
        AssertSameAsJsonWriter(new AwsCredentials("ASIAÄÖ", "key€", "token\U0001F600", Expiration));
        Assert.Contains("\\u00C4", CredentialOutput.Format(new AwsCredentials("ASIAÄ", "k", "t", Expiration)), StringComparison.Ordinal);
    }

    [Fact]
    public void Base64_secrets_keep_the_escaped_plus_and_the_line_parses_back()
    {
        var line = CredentialOutput.Format(new AwsCredentials("ASIAEXAMPLE", "wJal+rXUtn/FEMI", "FwoG+ZXIvYXdzE/Lz==", Expiration));
        Assert.Equal("""{"Version":1,"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"wJal\u002BrXUtn/FEMI","SessionToken":"FwoG\u002BZXIvYXdzE/Lz==","Expiration":"2030-01-02T03:04:05Z"}""", line);
        using var parsed = JsonDocument.Parse(line);
        Assert.Equal("wJal+rXUtn/FEMI", parsed.RootElement.GetProperty("SecretAccessKey").GetString());
    }
}
