namespace Ccwb.Profiles.Validation;

/// <summary>
/// The one catalogue of profile rules: upstream's ProfileValidator, the checks a deploy would otherwise fail on late,
/// and what each output needs (<see cref="ValidationPurpose"/>). Renderers, the deploy planner, the CLI and the build
/// all ask here and stop on errors; findings are <c>field: message</c>, errors and warnings together.
/// </summary>
public static class ProfileValidator
{
    /// <summary>The rules about the profile itself (what loading a profile reports).</summary>
    public static IReadOnlyList<ProfileMessage> Validate(DeploymentProfile profile) => Validate(profile, ValidationPurpose.Profile);

    /// <summary>The rules about the profile plus those of <paramref name="purpose"/>.</summary>
    /// <param name="formats">For <see cref="ValidationPurpose.CoworkFiles"/>: the formats to be written (default: all).</param>
    public static IReadOnlyList<ProfileMessage> Validate(DeploymentProfile profile, ValidationPurpose purpose, CoworkFormats? formats = null)
    {
        var coworkFormats = purpose switch
        {
            ValidationPurpose.CoworkFiles => formats ?? CoworkFormats.All,
            ValidationPurpose.Package when profile.Cowork3pEnabled => CoworkFormats.All,
            _ => (CoworkFormats)0,
        };
        var report = new ValidationReport(purpose, coworkFormats);
        IdentityRules.Check(profile, report);
        AuthenticationRules.Check(profile, report);
        FederationRules.Check(profile, report);
        RegionRules.Check(profile, report);
        MonitoringRules.Check(profile, report);
        QuotaRules.Check(profile, report);
        DistributionRules.Check(profile, report);
        DesktopRules.Check(profile, report);
        TagRules.Check(profile, report);
        ExtraFilesRules.Check(profile.ExtraFiles, report);

        if (purpose is ValidationPurpose.HelperConfig or ValidationPurpose.Package) HelperConfigRules.Check(profile, report);
        if (coworkFormats != 0) CoworkFileRules.Check(profile, report);
        return report.Messages;
    }

    /// <summary>Throws <see cref="ProfileFindingsException"/> when <paramref name="findings"/> hold an error.</summary>
    public static void ThrowIfErrors(IReadOnlyList<ProfileMessage> findings)
    {
        if (findings.Any(f => f.Severity == Severity.Error)) throw new ProfileFindingsException(findings);
    }
}
