using System.CommandLine;
using Ccwb.Contract.Files;
using Ccwb.Http;
using Ccwb.Profiles;

namespace Ccwb.Cli.DeploymentTest;

/// <summary>
/// <c>ccwb test</c>: proves a deployment from the administrator's machine with the helper a package ships, as a user's
/// machine would run it: a temporary AWS profile whose <c>credential_process</c> is the packaged helper, then STS,
/// Bedrock and the quota API with the credentials it hands out. Each step is reported with what to fix; exit 1 when
/// one fails.
/// </summary>
internal static class TestCommand
{
    private static readonly Option<DirectoryInfo> Package = new("--package")
    {
        Description = "Folder Package wrote (holds package/config.json), or the package folder itself",
        DefaultValueFactory = _ => new DirectoryInfo("artifacts"),
    };
    private static readonly Option<bool> Full = new("--full") { Description = "Call each model from every allowed region it can be called from" };
    private static readonly Option<bool> QuotaOnly = new("--quota-only") { Description = "Only credentials, identity and the quota check" };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the steps as one JSON object" };
    private static readonly Option<int> CallTimeout = new("--timeout")
    {
        Description = "Seconds each AWS call may take before it counts as a warning", DefaultValueFactory = _ => 30,
    };
    private static readonly Option<string> Aws = new("--aws")
    {
        Description = "AWS CLI v2 executable that tries the temporary profile", DefaultValueFactory = _ => "aws",
    };
    private static readonly Option<int> HelperTimeout = new("--helper-timeout")
    {
        Description = "Seconds the helper may take (a browser sign-in included)", DefaultValueFactory = _ => 300,
    };

    public static Command Create()
    {
        var profile = new ProfileOptions();
        var command = new Command("test", "Prove the deployment with the packaged credential helper: STS, Bedrock models, the quota API.");
        profile.AddTo(command);
        foreach (var option in new Option[] { Package, Full, QuotaOnly, Json, CallTimeout, HelperTimeout, Aws }) command.Options.Add(option);
        command.SetAction((parse, ct) => RunAsync(parse, profile, Console.Out, Console.Error, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, ProfileOptions profileOptions, TextWriter output, TextWriter error, CancellationToken ct)
    {
        foreach (var option in new[] { CallTimeout, HelperTimeout })
            if (parse.GetValue(option) is < 1 or > 3600)
                return Findings.Fail(error, option.Name, $"{parse.GetValue(option)} is out of range (1-3600 seconds)");
        var loaded = profileOptions.Load(parse, error); // notices go to stderr: stdout may be --json
        if (loaded.Profile is null)
        {
            Findings.Print(error, loaded.Messages);
            return 1;
        }
        var profile = loaded.Profile;
        try
        {
            var package = TestPackage.Find(parse.GetValue(Package)!.FullName);
            CheckTestable(profile, package);
            var userConfig = AwsIniFile.ConfigPath(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
            var helperTimeout = TimeSpan.FromSeconds(parse.GetValue(HelperTimeout));
            var options = new CheckOptions(parse.GetValue(Full), parse.GetValue(QuotaOnly), TimeSpan.FromSeconds(parse.GetValue(CallTimeout)), helperTimeout,
                parse.GetValue(Aws)!);

            using var awsProfile = TemporaryAwsProfile.Create(userConfig, package.Helper, profile.Name, profile.AwsRegion);
            var helperCommand = $"\"{package.Helper}\" --profile {profile.Name}";
            var report = new StepReport(profile.Name, package.Folder, package.Rid);
            report.Add(Step.Pass("aws profile", $"temporary profile {awsProfile.Name} runs {helperCommand} (in {awsProfile.ConfigFile}, removed afterwards)"));
            var checks = new DeploymentChecks(profile, awsProfile, helperCommand,
                options, Environment.GetEnvironmentVariable, HttpTransport.FromEnvironment(Environment.GetEnvironmentVariable, "ccwb-test"),
                () => DateTimeOffset.UtcNow);
            await checks.RunAsync(report, ct).ConfigureAwait(false);

            output.Write(parse.GetValue(Json) ? report.ToJson() : report.ToText());
            foreach (var failed in report.Steps.Where(s => s.Status == StepStatus.Fail))
                Findings.Fail(error, failed.Name, $"{failed.Detail}; fix: {failed.Fix}");
            return report.Failed ? 1 : 0;
        }
        catch (DeploymentTestException e)
        {
            return Findings.Fail(error, e.Subject, e.Message);
        }
    }

    // What makes a test of this profile with this package meaningless; said before anything runs.
    private static void CheckTestable(DeploymentProfile profile, TestPackage package)
    {
        if (Rendering.ClaudeCode.ProfileFacts.IsIdcZeroBinary(profile))
            throw new DeploymentTestException("auth_type",
                $"profile '{profile.Name}' signs users in with 'aws sso login' and ships no helper; ccwb test needs the helper");
        if (!package.ConfigProfiles.Contains(profile.Name) && package.ConfigProfiles.Count != 1)
            throw new DeploymentTestException("--package",
                $"the package's config.json has no profile '{profile.Name}' (it holds {(package.ConfigProfiles.Count == 0 ? "none" : string.Join(", ", package.ConfigProfiles))}); " +
                $"package this profile (./build.sh Package --profile-file <{profile.Name}.json>) or pass --package");
    }
}
