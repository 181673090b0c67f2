using Ccwb.CloudFormation.Planning;
using Ccwb.Profiles;
using Ccwb.Profiles.Validation;

namespace Ccwb.Build.Tasks;

/// <summary>
/// The Package target's first step: checks the profile for everything a package renders (the helper's files, the
/// Cowork files, the CloudFormation templates) before minutes are spent publishing binaries. Prints findings as
/// <c>error: field: message</c> / <c>warning: field: message</c> and fails on any error.
/// </summary>
public sealed class ValidateProfile : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required] public string ProfileFile { get; set; } = "";

    /// <summary>Whether the profile deploys the quota service, whose Lambda zips Package then builds.</summary>
    [Microsoft.Build.Framework.Output] public bool DeploysQuotaService { get; set; }

    public override bool Execute()
    {
        var read = ProfileLoader.ReadFile(ProfileFile);
        if (read.Profile is null) return BuildFindings.Report(Log, read.Messages, ProfileFile);

        var findings = ProfileValidator.Validate(read.Profile, ValidationPurpose.Package).ToList();
        try
        {
            // The templates' own parameter constraints, which only the planner knows.
            DeploysQuotaService = DeployPlanner.Plan(read.Profile).Stacks.Any(s => s.Kind == "quota");
        }
        catch (ProfileFindingsException e)
        {
            findings.AddRange(e.Findings.Where(f => !findings.Contains(f) && !findings.Exists(g => g.Field == f.Field && g.Severity == Severity.Error)));
        }
        return BuildFindings.Report(Log, findings, ProfileFile);
    }
}
