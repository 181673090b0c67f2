using Ccwb.Profiles;
using Ccwb.Profiles.Validation;
using Ccwb.Rendering.Cowork;
using Ccwb.Rendering.Templates;
using Ccwb.Rendering.Writers;

namespace Ccwb.Rendering;

/// <summary>The Claude Desktop (Cowork) MDM files for one profile, rendered in memory.</summary>
public static class CoworkFiles
{
    public const string Json = "cowork-3p-config.json";
    public const string Mobileconfig = "cowork-3p.mobileconfig";
    public const string SignedMobileconfig = "cowork-3p.signed.mobileconfig";
    public const string Reg = "cowork-3p.reg";
    public const string Admx = "ClaudeCowork3P.admx";
    public const string Adml = "en-US/ClaudeCowork3P.adml";
    public const string Ps1 = "Set-CoworkPolicy.ps1";
    public const string HelperSh = "cowork-credential-helper.sh";
    public const string HelperCmd = "cowork-credential-helper.cmd";

    /// <exception cref="ProfileFindingsException">The profile lacks what a requested format needs.</exception>
    public static IReadOnlyList<GeneratedFile> Render(DeploymentProfile profile, CoworkFormats formats, RenderOptions options,
        bool includeHelperWrappers)
    {
        ProfileValidator.ThrowIfErrors(ProfileValidator.Validate(profile, ValidationPurpose.CoworkFiles, formats));
        var posix = CoworkPolicyBuilder.Build(profile, options.Cowork, TargetOs.Posix);
        var windows = CoworkPolicyBuilder.Build(profile, options.Cowork, TargetOs.Windows);
        var files = new List<GeneratedFile>();

        if (formats.HasFlag(CoworkFormats.Json)) files.Add(GeneratedFile.Text(Json, CoworkJsonWriter.Write(posix)));
        if (formats.HasFlag(CoworkFormats.Mobileconfig))
        {
            var plist = MobileconfigWriter.Write(profile, posix);
            files.Add(new GeneratedFile(Mobileconfig, plist));
            if (options.Signing is { } signing)
                files.Add(new GeneratedFile(SignedMobileconfig,
                    MobileconfigSigner.Sign(plist, signing.Certificate, signing.Chain, options.SigningTime)));
        }
        if (formats.HasFlag(CoworkFormats.Reg)) files.Add(GeneratedFile.Text(Reg, WindowsPolicyWriter.Reg(profile, windows)));
        if (formats.HasFlag(CoworkFormats.Admx))
        {
            var (admx, adml) = WindowsPolicyWriter.GroupPolicyTemplates(profile);
            files.Add(GeneratedFile.Text(Admx, admx));
            files.Add(GeneratedFile.Text(Adml, adml));
        }
        if (formats.HasFlag(CoworkFormats.Ps1)) files.Add(GeneratedFile.Text(Ps1, WindowsPolicyWriter.PowerShell(profile, windows)));

        if (includeHelperWrappers && CoworkPolicyBuilder.IsHelperMode(profile))
        {
            var model = new { ProfileName = profile.Name };
            files.Add(GeneratedFile.Text(HelperSh, TemplateRenderer.Render("cowork-credential-helper.sh.sbn", model, LineEnding.Lf), executable: true));
            files.Add(GeneratedFile.Text(HelperCmd, TemplateRenderer.Render("cowork-credential-helper.cmd.sbn", model, LineEnding.CrLf)));
        }
        return files;
    }
}
