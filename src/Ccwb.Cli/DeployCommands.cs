using System.CommandLine;
using Ccwb.CloudFormation;
using Ccwb.CloudFormation.Output;
using Ccwb.CloudFormation.Planning;
using Ccwb.CloudFormation.Running;
using Ccwb.Cli.Distribution;
using Ccwb.Cli.Quota;
using Ccwb.Profiles;
using Ccwb.Profiles.Validation;

[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ccwb.CloudFormation.Tests")]

namespace Ccwb.Cli;

/// <summary>
/// <c>ccwb deploy</c> and <c>ccwb destroy</c>: write the profile's templates, parameter files and plan, then run the
/// plan with the AWS CLI (stack outputs are saved back into the profile) or print it.
/// </summary>
internal static class DeployCommands
{
    private sealed class Options
    {
        public ProfileOptions Profile { get; } = new();

        public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Print the AWS CLI commands instead of running them" };

        public Option<string> Aws { get; } = new("--aws")
        {
            Description = "AWS CLI v2 executable (the first 'aws' on PATH may be an old v1)",
            DefaultValueFactory = _ => "aws",
        };

        public Option<string?> EndpointUrl { get; } = new("--endpoint-url") { Description = "CloudFormation endpoint to use instead of AWS's" };

        public Argument<string?> Stack { get; } = new("stack")
        {
            Description = "Only this stack: " + string.Join(", ", DeployPlanner.Order) + " (default: every stack the profile needs)",
            Arity = ArgumentArity.ZeroOrOne,
        };

        public Option<DirectoryInfo?> Output { get; } = new("--output", "-o")
        {
            Description = "Folder for the templates, parameter files and plan (default: dist/<profile>/cloudformation)",
        };

        public Option<DirectoryInfo?> Functions { get; } = new("--functions")
        {
            Description = "Folder holding the quota functions' zips from ./build.sh Functions (default: artifacts/functions)",
        };

        public Option<string?> FunctionsBucket { get; } = new("--functions-bucket")
        {
            Description = "Bucket to upload the quota functions' zips to (default: the distribution stack's DistributionBucket output)",
        };

        public Option<string?> S3EndpointUrl { get; } = new("--s3-endpoint-url") { Description = "S3 endpoint to use instead of AWS's" };

        public Option<string?> DynamoDbEndpointUrl { get; } = new("--dynamodb-endpoint-url")
        {
            Description = "DynamoDB endpoint the quota stack's default policy is written to instead of AWS's",
        };

        public Command AddTo(Command command)
        {
            Profile.AddTo(command);
            command.Arguments.Add(Stack);
            command.Options.Add(DryRun);
            command.Options.Add(Aws);
            command.Options.Add(EndpointUrl);
            command.Options.Add(Output);
            command.Options.Add(Functions);
            command.Options.Add(FunctionsBucket);
            command.Options.Add(S3EndpointUrl);
            command.Options.Add(DynamoDbEndpointUrl);
            return command;
        }
    }


    public static Command CreateDeploy(TextWriter? output = null, TextWriter? error = null)
    {
        var options = new Options();
        var command = options.AddTo(new Command("deploy", "Deploy the profile's CloudFormation stacks with the AWS CLI (auth, monitoring, analytics, distribution, quota)."));
        command.SetAction((parse, ct) => RunAsync(parse, options, destroy: false, force: false, output ?? Console.Out, error ?? Console.Error, ct));
        return command;
    }

    public static Command CreateDestroy(TextWriter? output = null, TextWriter? error = null)
    {
        var options = new Options();
        var force = new Option<bool>("--force") { Description = "Delete without asking (required unless --dry-run)" };
        var command = options.AddTo(new Command("destroy", "Delete the profile's CloudFormation stacks, in reverse deploy order."));
        command.Options.Add(force);
        command.SetAction((parse, ct) => RunAsync(parse, options, destroy: true, parse.GetValue(force), output ?? Console.Out, error ?? Console.Error, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Options options, bool destroy, bool force, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var loaded = options.Profile.Load(parse, output);
        if (loaded.Profile is null)
        {
            Findings.Print(error, loaded.Messages);
            return 1;
        }
        var profile = loaded.Profile;

        DeployPlan plan;
        try
        {
            plan = DeployPlanner.Plan(profile);
        }
        catch (ProfileFindingsException e)
        {
            Findings.Print(error, e.Findings);
            return 1;
        }
        // Warnings are about what a deploy would create; destroy only removes it.
        if (!destroy) Findings.Print(error, ProfileValidator.Validate(profile, ValidationPurpose.Deploy));

        var only = parse.GetValue(options.Stack);
        if (only is not null)
        {
            if (!DeployPlanner.Order.Contains(only))
                return Findings.Fail(error, "stack", $"unknown stack '{only}'; valid stacks: {string.Join(", ", DeployPlanner.Order)}");
            if (plan.Stacks.All(s => s.Kind != only))
                return Findings.Fail(error, "stack", $"the profile needs no {only} stack (check auth_type, monitoring_enabled, " +
                                                     "monitoring_mode, monitoring_config, analytics_enabled, quota_monitoring_enabled, enable_distribution)");
            plan = plan with { Stacks = [.. plan.Stacks.Where(s => s.Kind == only)] };
        }

        var aws = parse.GetValue(options.Aws)!;
        var endpoint = parse.GetValue(options.EndpointUrl);
        var dryRun = parse.GetValue(options.DryRun);

        // The quota stack's functions: their zips' keys go into its parameters, so they are found (and the bucket
        // read from an existing distribution stack) before any file is written. When this deploy includes the
        // distribution stack, the bucket is read from it once it is deployed, right before the quota stack.
        IReadOnlyList<FunctionZipFile> functionZips = [];
        string? functionsBucket = null;
        var bucketFromThisDeploy = false;
        if (!destroy && plan.Stacks.Any(s => s.Kind == "quota"))
        {
            try
            {
                functionZips = QuotaFunctionCode.Find(parse.GetValue(options.Functions)?.FullName ?? QuotaFunctionCode.DefaultDirectory);
                functionsBucket = parse.GetValue(options.FunctionsBucket);
                bucketFromThisDeploy = functionsBucket is null && plan.Stacks.Any(s => s.Kind == "distribution");
                // A dry run calls no AWS API: without --functions-bucket its quota parameters lack the code location.
                if (functionsBucket is null && !bucketFromThisDeploy && !dryRun)
                    functionsBucket = await DistributeCommand.BucketFromStackAsync(profile, new AwsCli(aws, endpoint), ct, "--functions-bucket").ConfigureAwait(false);
            }
            catch (DistributionException e)
            {
                return Findings.Fail(error, e.Subject, e.Message);
            }
            if (functionsBucket is not null) plan = WithFunctionCode(plan, profile, functionsBucket, functionZips);
        }

        var directory = parse.GetValue(options.Output)?.FullName ?? Path.GetFullPath(Path.Combine("dist", profile.Name, CloudFormationArtifacts.Folder));
        PlanArtifacts.WriteTo(plan, directory);
        var script = destroy ? AwsCliCommands.DestroyScript(plan, aws, endpoint) : AwsCliCommands.DeployScript(plan, aws, endpoint);

        if (dryRun || (destroy && !force))
        {
            if (functionZips.Count > 0)
            {
                if (functionsBucket is null)
                    await output.WriteLineAsync("# quota: the function zips go to the distribution stack's DistributionBucket once it is deployed " +
                                                "(pass --functions-bucket to name the bucket here)").ConfigureAwait(false);
                else
                    foreach (var line in QuotaFunctionCode.DryRunCommands(aws, functionsBucket, profile.AwsRegion, functionZips))
                        await output.WriteLineAsync(line).ConfigureAwait(false);
            }
            await output.WriteLineAsync($"cd {directory}").ConfigureAwait(false);
            await output.WriteAsync(script).ConfigureAwait(false);
            if (!destroy || parse.GetValue(options.DryRun)) return 0;
            return Findings.Fail(error, "--force", "nothing was deleted: run again with --force to delete these stacks");
        }

        var deployer = new StackDeployer(new AwsCli(aws, endpoint), output);
        try
        {
            if (destroy)
            {
                await deployer.DestroyAsync(plan, directory, ct).ConfigureAwait(false);
                return 0;
            }
            var outputs = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
            var remaining = plan;
            if (bucketFromThisDeploy)
            {
                var quotaIndex = plan.Stacks.Select(s => s.Kind).ToList().IndexOf("quota");
                foreach (var (kind, values) in await deployer.DeployAsync(plan with { Stacks = [.. plan.Stacks.Take(quotaIndex)] }, directory, ct).ConfigureAwait(false))
                    outputs[kind] = values;
                functionsBucket = outputs.GetValueOrDefault("distribution")?.GetValueOrDefault("DistributionBucket") is { Length: > 0 } bucket ? bucket
                    : throw new DistributionException("--functions-bucket", "the distribution stack has no DistributionBucket output to upload the quota functions to; pass --functions-bucket");
                plan = WithFunctionCode(plan, profile, functionsBucket, functionZips);
                PlanArtifacts.WriteTo(plan, directory);
                remaining = plan with { Stacks = [.. plan.Stacks.Skip(quotaIndex)] };
            }
            if (functionsBucket is not null)
                await QuotaFunctionCode.UploadAsync(new S3Target(functionsBucket, profile.AwsRegion, parse.GetValue(options.S3EndpointUrl), 16 * 1024 * 1024),
                                                    functionZips, output, ct).ConfigureAwait(false);
            foreach (var (kind, values) in await deployer.DeployAsync(remaining, directory, ct).ConfigureAwait(false))
                outputs[kind] = values;
            var fields = ProfileOutputWriter.FieldsFrom(plan, outputs);
            if (ProfilePath(parse, options, profile) is { } path && fields.Count > 0)
            {
                ProfileOutputWriter.Save(path, fields);
                await output.WriteLineAsync($"Saved {string.Join(", ", fields.Keys)} into {path}").ConfigureAwait(false);
            }
            if (outputs.TryGetValue("quota", out var quota))
            {
                using var dynamo = DefaultPolicySeed.Client(profile.AwsRegion, parse.GetValue(options.DynamoDbEndpointUrl));
                var seeded = await DefaultPolicySeed.SeedAsync(dynamo, quota, ct).ConfigureAwait(false);
                await output.WriteLineAsync(seeded ? "Wrote the default quota policy from the profile's limits"
                                                   : "Kept the existing default quota policy (change it with 'ccwb quota set-default')").ConfigureAwait(false);
                // Signed checks (Identity Center, passthrough) may call /check only with this policy on the users' identity.
                if (quota.GetValueOrDefault("QuotaApiInvokePolicyArn") is { Length: > 0 } invokePolicy)
                    await output.WriteLineAsync(profile.EffectiveAuthType == "none"
                        ? $"Attach {invokePolicy} to the roles your users' AWS credentials come from so their helpers may call the quota API"
                        : $"Attach {invokePolicy} to the users' permission set so their helpers may call the quota API").ConfigureAwait(false);
            }
            return 0;
        }
        catch (StackOperationException e)
        {
            return Findings.Fail(error, destroy ? "destroy" : "deploy", e.Message);
        }
        catch (DistributionException e)
        {
            return Findings.Fail(error, e.Subject, e.Message);
        }
        catch (SeedException e)
        {
            return Findings.Fail(error, "quota", $"the stacks are deployed but the default policy was not written: {e.Message}; " +
                                                 "run 'ccwb deploy quota' again or set it with 'ccwb quota set-default'");
        }
    }

    /// <summary>The plan's stacks again, the quota stack's parameters now naming where its functions' code is.</summary>
    private static DeployPlan WithFunctionCode(DeployPlan plan, DeploymentProfile profile, string bucket, IReadOnlyList<FunctionZipFile> zips)
    {
        var full = DeployPlanner.Plan(profile, QuotaFunctionCode.CodeFor(bucket, zips));
        return plan with { Stacks = [.. full.Stacks.Where(s => plan.Stacks.Any(p => p.Kind == s.Kind))] };
    }

    private static string? ProfilePath(ParseResult parse, Options options, DeploymentProfile profile) =>
        parse.GetValue(options.Profile.ProfileFile)?.FullName ?? Ccwb.Profiles.Store.ProfileStore.ForCurrentUser().PathOf(profile.Name);
}
