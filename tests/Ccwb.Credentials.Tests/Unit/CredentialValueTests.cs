using Ccwb.Credentials.Flow;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Tests.Unit;

public class CredentialValueTests
{
    private static AwsCredentials Credentials(string id = "ASIA0001", string secret = "secret", string token = "token") =>
        new(id, secret, token, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("ASIA\n[default]", "secret", "token", "AccessKeyId")]
    [InlineData("ASIA0001", "sec\u001bret", "token", "SecretAccessKey")]
    [InlineData("ASIA0001", "secret", "tok\ren", "SessionToken")]
    [InlineData("ASIA0001", "secret", "token\u0085", "SessionToken")]
    public void Credential_values_with_control_characters_are_named(string id, string secret, string token, string field) =>
        Assert.Equal(field, CredentialHandOut.ControlCharacterIn(Credentials(id, secret, token)));

    [Fact]
    public void Ordinary_credential_values_pass() =>
        Assert.Null(CredentialHandOut.ControlCharacterIn(Credentials(token: "IQoJb3JpZ2luX2VjE+/=")));
}
