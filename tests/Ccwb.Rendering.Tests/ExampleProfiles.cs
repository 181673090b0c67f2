using Ccwb.Profiles;
using Ccwb.Testing;

namespace Ccwb.Rendering.Tests;

/// <summary>
/// The example profiles shipped in profiles/examples, plus this project's Profiles/ folder: profiles that exercise
/// what no example does (web search, administrator extra keys, awkward characters, profile credential mode).
/// </summary>
public static class ExampleProfiles
{
    private static readonly string[] Folders =
        [Repo.PathOf("profiles", "examples"), Path.Combine(Repo.TestProjectDirectory("Ccwb.Rendering.Tests"), "Profiles")];

    public static IReadOnlyList<string> Names { get; } =
    [
        .. Folders.SelectMany(f => Directory.GetFiles(f, "*.json"))
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Order(StringComparer.Ordinal),
    ];

    public static TheoryData<string> All => [.. Names];

    public static string PathOf(string name) =>
        Folders.Select(f => Path.Combine(f, name + ".json")).First(File.Exists);

    public static DeploymentProfile Load(string name)
    {
        var result = ProfileLoader.LoadFile(PathOf(name));
        Assert.True(result.Succeeded, string.Join("; ", result.Messages));
        return result.Profile!;
    }

    /// <summary>Fixed options so snapshots do not depend on the environment.</summary>
    public static RenderOptions Options { get; } = new("2026-01-15-093000");

    /// <summary>Every package file of a profile, rendered in memory.</summary>
    public static IReadOnlyList<GeneratedFile> Render(string name) => PackageFiles.Render(Load(name), Options);

    public static string Text(string profile, string path) =>
        System.Text.Encoding.UTF8.GetString(Render(profile).Single(f => f.Path == path).Content);
}
