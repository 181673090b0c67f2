using System.CommandLine;
using System.Net.Sockets;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Ccwb.Profiles;
using Ccwb.Quota;

namespace Ccwb.Cli.Quota;

/// <summary>A problem with what the administrator asked for or with the tables: printed as <c>error: subject: message</c>.</summary>
internal sealed class QuotaCommandException(string subject, string message) : Exception(message)
{
    public string Subject { get; } = subject;
}

/// <summary>
/// Which tables <c>ccwb quota</c> works on and how it reaches them: <c>--policies-table</c> / <c>--usage-table</c>,
/// else the profile's <c>quota_policies_table</c> / <c>user_quota_metrics_table</c> (the quota stack's
/// PoliciesTableName / QuotaTableName outputs, written to the profile on deploy). The region is <c>--region</c>, else
/// the profile's <c>aws_region</c>, else the AWS SDK's own settings. The endpoint is <c>--endpoint-url</c>, else the
/// SDK's (which honours <c>AWS_ENDPOINT_URL_DYNAMODB</c> and <c>AWS_ENDPOINT_URL</c>).
/// </summary>
internal sealed class QuotaTarget
{
    private readonly ProfileOptions profile = new();
    private readonly Option<string?> policiesTable = new("--policies-table") { Description = "Policies table (default: the profile's quota_policies_table)" };
    private readonly Option<string?> usageTable = new("--usage-table") { Description = "Usage table (default: the profile's user_quota_metrics_table)" };
    private readonly Option<string?> region = new("--region") { Description = "AWS region of the tables (default: the profile's aws_region)" };
    private readonly Option<string?> endpoint = new("--endpoint-url") { Description = "DynamoDB endpoint to use instead of AWS's" };

    public void AddTo(Command command)
    {
        profile.AddTo(command);
        foreach (var option in new[] { policiesTable, usageTable, region, endpoint }) command.Options.Add(option);
    }

    /// <summary>Opens the store; the profile is read only when a table or the region is not given on the command line.</summary>
    public (QuotaStore Store, IDisposable Client) Open(ParseResult parse, TextWriter output)
    {
        var policies = parse.GetValue(policiesTable);
        var usage = parse.GetValue(usageTable);
        var regionName = parse.GetValue(region);
        DeploymentProfile? loaded = null;
        var profileNamed = parse.GetValue(profile.Profile) is not null || parse.GetValue(profile.ProfileFile) is not null;
        if (policies is null || usage is null || profileNamed)
        {
            var result = profile.Load(parse, output);
            if (result.Profile is null)
            {
                var first = result.Errors.FirstOrDefault() ?? new ProfileMessage("profile", "could not be loaded");
                throw new QuotaCommandException(first.Field, first.Message + (policies is null || usage is null ? "; or pass --policies-table and --usage-table" : ""));
            }
            loaded = result.Profile;
            policies ??= Required(loaded.QuotaPoliciesTable, "quota_policies_table", "--policies-table", loaded.Name);
            usage ??= Required(loaded.UserQuotaMetricsTable, "user_quota_metrics_table", "--usage-table", loaded.Name);
        }
        regionName ??= loaded?.AwsRegion;

        var config = new AmazonDynamoDBConfig { MaxErrorRetry = 2, Timeout = TimeSpan.FromSeconds(30) };
        if (parse.GetValue(endpoint) is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new QuotaCommandException("--endpoint-url", $"'{url}' is not an http(s) URL");
            config.ServiceURL = url;
            if (regionName is not null) config.AuthenticationRegion = regionName;
        }
        else if (regionName is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(regionName);
        }
        try
        {
            var client = new AmazonDynamoDBClient(config);
            return (new QuotaStore(client, policies!, usage!), client);
        }
        catch (AmazonClientException) when (regionName is null)
        {
            throw new QuotaCommandException("--region", "no AWS region is set: pass --region, set aws_region in the profile, or set AWS_REGION");
        }
    }

    private static string Required(string? value, string field, string option, string profileName) =>
        !string.IsNullOrWhiteSpace(value) ? value
            : throw new QuotaCommandException(field, $"is not set in profile '{profileName}': deploy the quota stack (its table names are written to the profile) or pass {option}");

    /// <summary>Turns what the SDK throws into the one error line, naming the table when it is missing.</summary>
    public static QuotaCommandException Explain(Exception e, QuotaStore store)
    {
        if (e is ResourceNotFoundException)
            return new("dynamodb", $"a quota table was not found (policies '{store.PoliciesTable}', usage '{store.UsageTable}'): " +
                                   "deploy the quota stack or check --policies-table / --usage-table and the region");
        if (e is AmazonServiceException { ErrorCode: { Length: > 0 } code }) return new("dynamodb", $"{code}: {FirstLine(e.Message)}");
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is HttpRequestException or SocketException) return new("dynamodb", $"could not connect: {FirstLine(inner.Message)}");
        if (e is AmazonClientException && e.Message.StartsWith("Failed to resolve AWS credentials", StringComparison.Ordinal))
            return new("aws", "no AWS credentials found: use a named profile (AWS_PROFILE, aws sso login) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        return new(e is AmazonClientException ? "aws" : "dynamodb", FirstLine(e.Message));
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r', '.') + ".";
}
