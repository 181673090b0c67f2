namespace Ccwb.Testing;

/// <summary>Locations in the repository, found from the test binary by walking up to Toolkit.sln.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The folder of a test project's sources (where its snapshot files live).</summary>
    public static string TestProjectDirectory(string projectName) => PathOf("tests", projectName);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Toolkit.sln"))) return dir.FullName;
        throw new InvalidOperationException("Toolkit.sln not found above " + AppContext.BaseDirectory);
    }
}
