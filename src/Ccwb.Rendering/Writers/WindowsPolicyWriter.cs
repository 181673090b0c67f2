using Ccwb.Profiles;
using Ccwb.Rendering.Cowork;
using Ccwb.Rendering.Templates;

namespace Ccwb.Rendering.Writers;

/// <summary>
/// The Windows forms of the Cowork policy: <c>cowork-3p.reg</c>, <c>Set-CoworkPolicy.ps1</c> and the Group Policy
/// template pair. All three write the same registry key and value names, taken from the key catalogue.
/// </summary>
public static class WindowsPolicyWriter
{
    public const string PolicyKey = @"SOFTWARE\Policies\Claude";

    public static string Reg(DeploymentProfile profile, CoworkPolicy policy) =>
        TemplateRenderer.Render("cowork-3p.reg.sbn", new
        {
            RootKey = MachineWide(profile) ? "HKEY_LOCAL_MACHINE" : "HKEY_CURRENT_USER",
            PolicyKey,
            Values = Values(policy),
        }, LineEnding.CrLf);

    public static string PowerShell(DeploymentProfile profile, CoworkPolicy policy) =>
        TemplateRenderer.Render("Set-CoworkPolicy.ps1.sbn", new
        {
            ProfileName = profile.Name,
            MachineWide = MachineWide(profile),
            PsDrive = MachineWide(profile) ? "HKLM:" : "HKCU:",
            PolicyKey,
            Values = Values(policy),
        }, LineEnding.CrLf);

    /// <summary>ADMX and its en-US ADML: a policy for every key in the catalogue, not only those this profile sets.</summary>
    public static (string Admx, string Adml) GroupPolicyTemplates(DeploymentProfile profile)
    {
        var categories = CoworkKeys.All.Select(k => k.Category.ToString()).Distinct().ToList();
        var policies = CoworkKeys.All.Select(k => new
        {
            k.Name,
            k.PolicyName,
            k.DisplayName,
            k.IsSwitch,
            k.MaxLength,
            Category = k.Category.ToString(),
            Explain = $"{k.Description}\n\nWhen not configured: {k.Default}\n\nRegistry value: {k.Name} (REG_SZ)" +
                      (k.IsSwitch ? ", \"true\" when enabled and \"false\" when disabled." : "."),
        }).ToList();
        var model = new
        {
            PolicyClass = MachineWide(profile) ? "Machine" : "User",
            PolicyKey,
            Categories = categories,
            Policies = policies,
        };
        return (TemplateRenderer.Render("ClaudeCowork3P.admx.sbn", model, LineEnding.Lf),
                TemplateRenderer.Render("ClaudeCowork3P.adml.sbn", model, LineEnding.Lf));
    }

    public static bool MachineWide(DeploymentProfile profile) =>
        string.Equals(profile.CoworkRegistryHive, "HKLM", StringComparison.OrdinalIgnoreCase);

    private static List<object> Values(CoworkPolicy policy) =>
    [
        .. policy.Settings.Select(s => (object)new
        {
            s.Name,
            Value = s.MdmString,
            HasPlaceholder = s.MdmString.Contains("__CCWB_HOME", StringComparison.Ordinal),
        }),
    ];
}
