namespace Ccwb.Profiles.Validation;

/// <summary>
/// Every rule about a deployment profile (upstream's ProfileValidator and package-time checks, plus the checks a
/// deploy would otherwise fail on late). All findings are returned together as <c>field: message</c>.
/// </summary>
public static class ProfileValidator
{
    public static IReadOnlyList<ProfileMessage> Validate(DeploymentProfile profile)
    {
        var report = new ValidationReport();
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
        return report.Messages;
    }
}
