namespace Ccwb.Cli.Doctor;

/// <summary>
/// config.json reads as the helper reads it (the helper's own loader, so the verdict is the helper's) and holds the
/// profile with what signing in needs.
/// </summary>
internal sealed class HelperConfigCheck : IDiagnostic
{
    public string Name => "config.json";

    public DiagnosticResult Run(DoctorContext context)
    {
        if (context.Config is not { } config)
            return DiagnosticResult.Fail(context.ConfigError ?? "config.json cannot be read",
                "Reinstall the package, or copy its config.json back beside credential-process.");
        if (context.Profile is not { } profile)
        {
            var available = config.Profiles.Count == 0 ? "none" : string.Join(", ", config.Profiles.Keys.Order(StringComparer.Ordinal));
            return DiagnosticResult.Fail($"{config.Path} has no profile '{context.ProfileName}' (profiles: {available})",
                "Pass --profile with one of the profiles listed, or reinstall the package for your profile.");
        }
        var missing = Missing(profile);
        if (missing.Count > 0)
            return DiagnosticResult.Fail($"profile '{profile.Name}' in {config.Path} lacks {string.Join(", ", missing)}, which signing in needs",
                "Reinstall the package your administrator gave you; a hand-edited config.json needs these keys back.");
        var how = profile.IsIdentityCenter ? "IAM Identity Center"
            : profile.IsPassthrough ? "ambient AWS credentials passed through"
            : $"{profile.ProviderType} sign-in, {profile.FederationType} federation";
        return DiagnosticResult.Pass($"profile '{profile.Name}' in {config.Path} ({how}, region {profile.AwsRegion})");
    }

    /// <summary>The keys without which the helper cannot sign in at all (it reports them only when used).</summary>
    private static List<string> Missing(Credentials.Config.ProfileConfig p)
    {
        var missing = new List<string>();
        if (p.IsIdentityCenter)
        {
            if (p.IdcStartUrl.Length == 0) missing.Add("idc_start_url");
            return missing;
        }
        if (p.IsPassthrough) return missing;
        if (p.ProviderDomain.Length == 0) missing.Add("provider_domain");
        if (p.ClientId.Length == 0) missing.Add("client_id");
        if (p.FederationType == "direct" ? p.FederatedRoleArn.Length == 0 : p.IdentityPoolId.Length == 0)
            missing.Add(p.FederationType == "direct" ? "federated_role_arn" : "identity_pool_id");
        return missing;
    }
}
