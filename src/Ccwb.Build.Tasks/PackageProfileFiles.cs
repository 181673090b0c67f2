using Ccwb.Packaging;
using Ccwb.Packaging.Deb;
using Ccwb.Profiles;
using Ccwb.Rendering;
using Ccwb.Rendering.ClaudeCode;

namespace Ccwb.Build.Tasks;

/// <summary>The profile's rendered files as packaging consumes them (<see cref="RenderedProfile"/>).</summary>
internal static class PackageProfileFiles
{
    public static RenderedProfile Write(DeploymentProfile profile, string folder) =>
        Describe(profile, ProfileArtifacts.Write(profile, folder));

    /// <summary>Names the installers' inputs among <paramref name="files"/>, rendered for <paramref name="profile"/>.</summary>
    public static RenderedProfile Describe(DeploymentProfile profile, IReadOnlyList<string> files)
    {
        string? Written(string relative) => files.Contains(relative) ? relative : null;
        return new RenderedProfile(files, [.. ConfigJsonBuilder.AwsProfiles(profile).Select(p => new AwsProfile(p.Name, p.Region))])
        {
            ConfigJson = Written(PackageFiles.ConfigJson),
            Settings = Written(PackageFiles.SettingsPath(profile)),
            CoworkMobileconfig = Written(CoworkFiles.Mobileconfig),
            CoworkCredentialHelper = Written(CoworkFiles.HelperSh),
        };
    }
}
