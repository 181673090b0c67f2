using System.Text;
using System.Text.Json.Nodes;
using Ccwb.Functions.QuotaCheck;
using Ccwb.Functions.Tests.Peers;

namespace Ccwb.Functions.Tests;

/// <summary>Who an API Gateway event names: the claim shapes IdPs and the JWT authorizer produce, and IAM callers.</summary>
public sealed class CallerIdentityTests
{
    private static CallerIdentity? FromClaims(JsonObject claims) =>
        HttpApiEvent.ReadCaller(Encoding.UTF8.GetBytes(ApiGatewayPeer.HttpApiEvent(null,
            new JsonObject { ["jwt"] = new JsonObject { ["claims"] = claims, ["scopes"] = null } }).ToJsonString()));

    private static CallerIdentity? FromIam(string userArn) =>
        HttpApiEvent.ReadCaller(Encoding.UTF8.GetBytes(ApiGatewayPeer.HttpApiEvent(null,
            new JsonObject { ["iam"] = new JsonObject { ["userArn"] = userArn, ["accountId"] = "123456789012" } }).ToJsonString()));

    [Theory]
    [InlineData("groups", "[eng ops]")]
    [InlineData("groups", "eng, ops")]
    [InlineData("cognito:groups", "[ops eng]")]
    [InlineData("cognito:groups", "ops,eng,ops")]
    public void Groups_from_a_flattened_array_or_a_comma_list_in_either_claim(string claim, string value)
    {
        var caller = FromClaims(new JsonObject { ["email"] = " Alice@Example.com ", [claim] = value });

        Assert.Equal(["eng", "ops"], caller!.Groups);
        Assert.Equal("alice@example.com", caller.User);
    }

    [Fact]
    public void Groups_as_a_JSON_array_and_the_department_claim_as_a_department_group()
    {
        var caller = FromClaims(new JsonObject
        {
            ["email"] = "a@example.com", ["groups"] = new JsonArray("eng", " ", 7), ["custom:department"] = "Research",
        });

        Assert.Equal(["department:Research", "eng"], caller!.Groups);
    }

    [Theory]
    [InlineData("""{"sub":"x"}""")]
    [InlineData("""{"email":""}""")]
    [InlineData("""{"email":42}""")]
    public void Claims_without_a_usable_email_name_no_one(string claims) =>
        Assert.Null(FromClaims(JsonNode.Parse(claims)!.AsObject()));

    [Theory]
    [InlineData("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Users_0123/Bob.Smith", "bob.smith")]
    [InlineData("arn:aws-us-gov:sts::123456789012:assumed-role/AWSReservedSSO_Users_0123/bob@example.com", "bob@example.com")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/ClaudeCodePassthrough/carol@example.com", "carol@example.com")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/SomeServiceRole/i-0abc123", null)]
    [InlineData("arn:aws:iam::123456789012:user/dave@example.com", null)]
    [InlineData("", null)]
    public void IAM_callers_are_named_by_an_Identity_Center_session_or_an_email_session_name(string arn, string? user) =>
        Assert.Equal(user, FromIam(arn)?.User);
}
