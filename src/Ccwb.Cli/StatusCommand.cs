using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Cli.Distribution;
using Ccwb.CloudFormation.Planning;
using Ccwb.CloudFormation.Running;
using Ccwb.Profiles;
using Ccwb.Profiles.Store;

namespace Ccwb.Cli;

/// <summary>
/// <c>ccwb status</c>: the profile, each stack it needs with its status and outputs (read with the AWS CLI, as deploy
/// does), and the latest distribution with its expiry. <c>--json</c> prints the same as one JSON object for scripts.
/// Download URLs are not printed: they grant access; <c>ccwb distribute --get-latest</c> prints them.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var profile = new ProfileOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var aws = new Option<string>("--aws") { Description = "AWS CLI v2 executable", DefaultValueFactory = _ => "aws" };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "CloudFormation endpoint to use instead of AWS's" };
        var command = new Command("status", "Show the profile, its stacks and their outputs, and the latest distribution.");
        profile.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(aws);
        command.Options.Add(endpoint);
        command.SetAction(async (parse, ct) =>
        {
            var output = Console.Out;
            var error = Console.Error;
            var loaded = profile.Load(parse, output);
            if (loaded.Profile is null)
            {
                Findings.Print(error, loaded.Messages);
                return 1;
            }
            DeployPlan plan;
            try
            {
                plan = DeployPlanner.Plan(loaded.Profile);
            }
            catch (ProfileFindingsException e)
            {
                Findings.Print(error, e.Findings);
                return 1;
            }

            var deployer = new StackDeployer(new AwsCli(parse.GetValue(aws)!, parse.GetValue(endpoint)), TextWriter.Null);
            var stacks = new List<StackState>();
            foreach (var stack in plan.Stacks)
            {
                try
                {
                    var described = await deployer.DescribeAsync(stack, Environment.CurrentDirectory, ct).ConfigureAwait(false);
                    stacks.Add(new StackState(stack.Kind, stack.StackName, stack.Region, described?.Status, described?.Outputs ?? new Dictionary<string, string>()));
                }
                catch (Exception e) when (e is StackOperationException or System.ComponentModel.Win32Exception)
                {
                    return Findings.Fail(error, stack.StackName, TerminalText.Clean($"could not read the stack with the AWS CLI: {e.Message}"));
                }
            }

            var store = ProfileStore.ForCurrentUser();
            LatestDistribution? latest;
            try
            {
                latest = LatestDistribution.Load(store.StoreDirectory, loaded.Profile.Name);
            }
            catch (DistributionException e)
            {
                return Findings.Fail(error, e.Subject, e.Message);
            }
            var active = parse.GetValue(profile.ProfileFile) is null && store.ActiveProfile == loaded.Profile.Name;
            var report = new StatusReport(loaded.Profile, active, stacks, latest, DateTimeOffset.UtcNow);
            output.Write(parse.GetValue(json) ? report.ToJson() : report.ToText());
            return 0;
        });
        return command;
    }

    private sealed record StackState(string Kind, string Name, string Region, string? Status, IReadOnlyDictionary<string, string> Outputs);

    private sealed record StatusReport(DeploymentProfile Profile, bool Active, IReadOnlyList<StackState> Stacks, LatestDistribution? Latest, DateTimeOffset Now)
    {
        public string ToText()
        {
            var text = new System.Text.StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"Profile:  {Profile.Name}{(Active ? " (active)" : "")}\n");
            text.Append(CultureInfo.InvariantCulture, $"Region:   {Profile.AwsRegion}\n");
            text.Append("Stacks:\n");
            if (Stacks.Count == 0) text.Append("  none (the profile needs no stack)\n");
            foreach (var stack in Stacks)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {stack.Kind,-13} {stack.Name}  {stack.Status ?? "not deployed (run 'ccwb deploy " + stack.Kind + "')"}\n");
                foreach (var (key, value) in stack.Outputs) text.Append(CultureInfo.InvariantCulture, $"      {key} = {TerminalText.Clean(value)}\n");
            }
            if (Latest is null)
            {
                text.Append("Distribution: none recorded (run 'ccwb distribute')\n");
                return text.ToString();
            }
            var state = Latest.Expires > Now ? "valid" : "expired";
            text.Append(CultureInfo.InvariantCulture, $"Distribution: {Latest.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, expires {Latest.Expires.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({state})\n");
            foreach (var file in Latest.Files) text.Append(CultureInfo.InvariantCulture, $"  {file.FileName}  sha256 {file.Sha256}\n");
            return text.ToString();
        }

        public string ToJson()
        {
            var stacks = new JsonArray();
            foreach (var stack in Stacks)
            {
                var outputs = new JsonObject();
                foreach (var (key, value) in stack.Outputs) outputs[key] = value;
                stacks.Add(new JsonObject
                {
                    ["kind"] = stack.Kind, ["name"] = stack.Name, ["region"] = stack.Region,
                    ["deployed"] = stack.Status is not null, ["status"] = stack.Status, ["outputs"] = outputs,
                });
            }
            JsonNode? distribution = null;
            if (Latest is not null)
            {
                var files = new JsonArray();
                foreach (var file in Latest.Files)
                    files.Add(new JsonObject { ["filename"] = file.FileName, ["key"] = file.Key, ["sha256"] = file.Sha256, ["size"] = file.Size });
                distribution = new JsonObject
                {
                    ["bucket"] = Latest.Bucket, ["created"] = Latest.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    ["expires"] = Latest.Expires.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    ["expired"] = Latest.Expires <= Now, ["files"] = files,
                };
            }
            var root = new JsonObject
            {
                ["profile"] = Profile.Name, ["active"] = Active, ["region"] = Profile.AwsRegion, ["stacks"] = stacks, ["distribution"] = distribution,
            };
            return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        }
    }
}
