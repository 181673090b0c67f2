namespace Ccwb.Profiles.Tests;

/// <summary>Broken documents give <c>field: message</c> errors and no profile, never an exception.</summary>
public class LoaderErrorTests
{
    private static IReadOnlyList<string> Errors(string json)
    {
        var result = ProfileLoader.Parse(json);
        Assert.Null(result.Profile);
        Assert.False(result.Succeeded);
        return [.. result.Errors.Select(e => e.ToString())];
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"name\": \"p\",}")]
    [InlineData("{'name': 'p'}")]
    [InlineData("{\"name\": \"p\"} trailing")]
    public void Malformed_json_is_one_error_naming_the_problem(string json)
    {
        var error = Assert.Single(Errors(json));
        Assert.StartsWith("profile: not valid JSON: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"okta\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Document_that_is_not_an_object_is_rejected(string json)
    {
        Assert.Equal(["profile: must be a JSON object"], Errors(json));
    }

    [Fact]
    public void Duplicate_key_is_rejected()
    {
        Assert.Equal(["profile: not valid JSON: a key appears twice"], Errors("""{"name": "a", "name": "b"}"""));
    }

    [Fact]
    public void Every_wrongly_typed_field_is_reported_together()
    {
        var errors = Errors("""
            {"name": 5, "max_session_duration": "long", "monitoring_enabled": "yes", "allowed_bedrock_regions": "us-east-1",
             "tags": ["a"], "monthly_cost_limit_usd": "fifty", "redirect_port": 8400.5, "extra_files": {"name": "x"},
             "stack_names": {"auth": null}, "cowork_3p_extra_keys": [1]}
            """);

        Assert.Equal(
        [
            "name: must be a string",
            "max_session_duration: must be a whole number",
            "monitoring_enabled: must be true or false",
            "allowed_bedrock_regions: must be a list of strings",
            "tags: must be an object whose values are strings",
            "monthly_cost_limit_usd: must be a number",
            "redirect_port: must be a whole number",
            "extra_files: must be a list of entries",
            "stack_names: must be an object whose values are strings",
            "cowork_3p_extra_keys: must be an object",
        ], errors);
    }

    [Fact]
    public void Number_too_large_for_the_field_is_a_type_error()
    {
        Assert.Equal(["max_session_duration: must be a whole number"], Errors("""{"name": "p", "max_session_duration": 99999999999}"""));
    }

    [Fact]
    public void Null_inside_a_list_of_strings_is_a_type_error()
    {
        Assert.Equal(["allowed_bedrock_regions: must be a list of strings"], Errors("""{"name": "p", "allowed_bedrock_regions": ["us-east-1", null]}"""));
    }

    [Fact]
    public void Missing_file_is_an_error_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-profile-{Guid.NewGuid():N}.json");
        var result = ProfileLoader.LoadFile(path);
        Assert.Null(result.Profile);
        Assert.StartsWith($"profile: cannot read {path}", Assert.Single(result.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Fix_validation_reports_every_problem_at_once_where_upstream_stopped_at_the_first_missing_field()
    {
        var result = ProfileLoader.Parse("""
            {"name": "", "provider_domain": "acme.okta.com", "client_id": "", "aws_region": "mars-1", "identity_pool_name": "",
             "credential_storage": "disk", "max_session_duration": 60}
            """);

        Assert.Equal(
        [
            "name: Required field 'name' is missing or empty",
            "identity_pool_name: Required field 'identity_pool_name' is missing or empty",
            "credential_storage: Invalid credential_storage: disk. Must be 'keyring' or 'session'",
            "client_id: OIDC auth requires client_id",
            "max_session_duration: Must be a number between 3600 and 43200 (got 60)",
            "aws_region: Invalid aws_region: mars-1",
        ], result.Errors.Select(e => e.ToString()));
    }
}
