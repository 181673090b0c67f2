using Ccwb.Contract.Install;
using Ccwb.Profiles.Validation;
using Ccwb.Profiles;
using Ccwb.Rendering.ClaudeCode;
using Ccwb.Rendering.Cowork;
using Ccwb.Rendering.Templates;

namespace Ccwb.Rendering;

/// <summary>Everything a package carries besides binaries, rendered in memory for one profile.</summary>
public static class PackageFiles
{
    /// <exception cref="ProfileFindingsException">The profile lacks what one of the files needs.</exception>
    public static IReadOnlyList<GeneratedFile> Render(DeploymentProfile profile, RenderOptions options)
    {
        ProfileValidator.ThrowIfErrors(ProfileValidator.Validate(profile, ValidationPurpose.Package));

        var zeroBinary = ProfileFacts.IsIdcZeroBinary(profile);
        var files = new List<GeneratedFile>
        {
            GeneratedFile.Text(ConfigJson, ConfigJsonBuilder.Write(profile)),
            GeneratedFile.Text(SettingsPath(profile), SettingsBuilder.Write(profile, options.Version)),
        };

        var model = ScriptModel(profile, options);
        files.Add(GeneratedFile.Text("install.sh", TemplateRenderer.Render("install.sh.sbn", model, LineEnding.Lf), executable: true));
        // IAM Identity Center without the helper binary has nothing to install on Windows (upstream ships no .bat).
        if (!zeroBinary)
            files.Add(GeneratedFile.Text("install.bat", TemplateRenderer.Render("install.bat.sbn", model, LineEnding.CrLf)));
        files.Add(GeneratedFile.Text("README.md", TemplateRenderer.Render("README.md.sbn", model, LineEnding.Lf)));
        // The local collector's configuration; install.sh/.bat install it beside the otelcol binary when one ships.
        if (profile.MonitoringEnabled && profile.MonitoringMode == "sidecar" && !zeroBinary)
            files.Add(GeneratedFile.Text(SidecarCollector.ConfigFileName, TemplateRenderer.Render("collector-config.yaml.sbn", new
            {
                ProfileName = profile.Name,
                Region = profile.AwsRegion,
                Headers = IdentityHeaders.Select(h => new { Header = h.Key, Attribute = h.Value }).ToList(),
            }, LineEnding.Lf)));

        // otel-helper under the names Claude Code settings of earlier installs use (upstream's wrappers): on Windows
        // the settings name otel-helper.cmd, which falls back to the .ps1.
        if (profile.MonitoringEnabled && !zeroBinary)
        {
            files.Add(GeneratedFile.Text(OtelHelperSh, TemplateRenderer.Render("otel-helper.sh.sbn", model, LineEnding.Lf), executable: true));
            files.Add(GeneratedFile.Text(OtelHelperCmd, TemplateRenderer.Render("otel-helper.cmd.sbn", model, LineEnding.CrLf)));
            files.Add(GeneratedFile.Text(OtelHelperPs1, TemplateRenderer.Render("otel-helper.ps1.sbn", model, LineEnding.CrLf)));
        }

        if (profile.Cowork3pEnabled)
            files.AddRange(CoworkFiles.Render(profile, CoworkFormats.All, options, includeHelperWrappers: true));
        return files;
    }

    public const string ConfigJson = "config.json";
    public static string SettingsPath(DeploymentProfile profile) => $"claude-settings/{SettingsBuilder.FileName(profile)}";

    public const string OtelHelperSh = "otel-helper.sh";
    public const string OtelHelperCmd = "otel-helper.cmd";
    public const string OtelHelperPs1 = "otel-helper.ps1";

    // Headers otel-helper sends with each export, and the resource attributes the collector makes of them (named as
    // in OTEL_RESOURCE_ATTRIBUTES, so dashboards see one name whichever path the value took).
    private static readonly KeyValuePair<string, string>[] IdentityHeaders =
    [
        new("x-user-email", "user.email"), new("x-user-id", "user.id"), new("x-user-name", "user.name"),
        new("x-department", "department"), new("x-team-id", "team.id"), new("x-cost-center", "cost_center"),
        new("x-organization", "organization"), new("x-location", "location"), new("x-role", "role"),
        new("x-manager", "manager"),
    ];

    private static object ScriptModel(DeploymentProfile p, RenderOptions options) => new
    {
        ProfileName = p.Name,
        Organization = p.ProviderDomain,
        OrganizationName = string.IsNullOrWhiteSpace(p.OrganizationName) ? p.ProviderDomain : p.OrganizationName,
        AwsRegion = p.AwsRegion,
        Region = CoworkPolicyBuilder.SourceRegion(p),
        SettingsFile = SettingsBuilder.FileName(p),
        Managed = p.SettingsTarget == "managed",
        ZeroBinary = ProfileFacts.IsIdcZeroBinary(p),
        Idc = ProfileFacts.IsIdc(p),
        WebSearch = CoworkPolicyBuilder.HasWebSearch(p),
        Cowork = p.Cowork3pEnabled,
        HelperMode = CoworkPolicyBuilder.IsHelperMode(p),
        Monitoring = p.MonitoringEnabled,
        Analytics = p.MonitoringEnabled && p.AnalyticsEnabled,
        RedirectPort = p.RedirectPort ?? 8400,
        Version = options.Version,
        Sidecar = p.MonitoringEnabled && p.MonitoringMode == "sidecar",
        AwsProfiles = ConfigJsonBuilder.AwsProfiles(p).Select(a => new { a.Name, a.Region }).ToList(),
        SetupArguments = UserSetupArguments(p),
    };

    /// <summary>
    /// install.bat's arguments to <c>ccwb-user-setup install</c> (each after a space): the settings to merge (managed
    /// settings are machine-wide and written apart), the AWS profiles, and the Cowork policy to fill in. Names and
    /// regions are validated to letters, digits and hyphens, so they need no quoting.
    /// </summary>
    private static string UserSetupArguments(DeploymentProfile p)
    {
        var arguments = new System.Text.StringBuilder();
        if (p.SettingsTarget != "managed") arguments.Append($" --settings \"claude-settings\\{SettingsBuilder.FileName(p)}\"");
        foreach (var (name, region) in ConfigJsonBuilder.AwsProfiles(p)) arguments.Append($" --profile {name}={region}");
        if (p.Cowork3pEnabled) arguments.Append(" --cowork-reg ").Append(CoworkFiles.Reg);
        return arguments.ToString();
    }
}
