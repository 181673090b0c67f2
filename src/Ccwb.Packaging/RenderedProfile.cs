using Ccwb.Packaging.Deb;

namespace Ccwb.Packaging;

/// <summary>
/// What rendering wrote into the package folder, with the parts the installers consume named by the renderer rather
/// than found by reading the folder back: config.json, the Claude Code settings, the Cowork configuration profile and
/// the Cowork credential helper wrapper it names (paths relative to the folder, null when not rendered), and the AWS
/// profiles the installers create (one per config.json key).
/// </summary>
public sealed record RenderedProfile(IReadOnlyList<string> Files, IReadOnlyList<AwsProfile> AwsProfiles)
{
    public string? ConfigJson { get; init; }
    public string? Settings { get; init; }
    public string? CoworkMobileconfig { get; init; }
    public string? CoworkCredentialHelper { get; init; }

    /// <summary>A rendered file's full path in <paramref name="folder"/>, the folder it was rendered into; null stays null.</summary>
    public static string? In(string folder, string? relative) => relative is null ? null : Path.Combine(folder, relative);
}
