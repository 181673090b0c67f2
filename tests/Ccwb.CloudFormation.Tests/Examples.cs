using Ccwb.Profiles;
using Ccwb.Testing;

namespace Ccwb.CloudFormation.Tests;

/// <summary>The example profiles shipped in profiles/examples, loaded as the build loads them.</summary>
internal static class Examples
{
    public static IReadOnlyList<string> Names { get; } =
        [.. Directory.GetFiles(Repo.PathOf("profiles", "examples"), "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names) data.Add(name);
        return data;
    }

    public static string PathOf(string name) => Repo.PathOf("profiles", "examples", name + ".json");

    /// <summary>Reads without the profile validator: these tests check what the CloudFormation side accepts.</summary>
    public static DeploymentProfile Load(string name) =>
        ProfileLoader.ReadFile(PathOf(name)).Profile ?? throw new InvalidOperationException($"example {name} does not load");
}
