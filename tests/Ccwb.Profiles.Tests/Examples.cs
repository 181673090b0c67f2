using Ccwb.Testing;

namespace Ccwb.Profiles.Tests;

/// <summary>The example profiles shipped in profiles/examples, loaded for tests.</summary>
internal static class Examples
{
    public static string Directory => Repo.PathOf("profiles", "examples");

    public static IReadOnlyList<string> Names { get; } =
        [.. System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)];

    public static string PathOf(string name) => Path.Combine(Directory, name + ".json");

    public static string Text(string name) => File.ReadAllText(PathOf(name));

    public static DeploymentProfile Load(string name)
    {
        var result = ProfileLoader.ReadFile(PathOf(name));
        Assert.True(result.Profile is not null, string.Join("\n", result.Messages));
        return result.Profile!;
    }

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names) data.Add(name);
        return data;
    }
}
