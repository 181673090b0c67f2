using Ccwb.Testing;

namespace Ccwb.Packaging.Tests;

/// <summary>The build's calling convention: ./build.sh &lt;Target&gt; [options], usage errors exit 2 with one line.</summary>
public class BuildScriptTests
{
    private static Run.Result BuildSh(params string[] arguments) =>
        Run.Tool(Repo.PathOf("build.sh"), arguments, workingDirectory: Repo.Root);

    [Fact]
    public void Help_lists_every_target_and_option_and_exits_0()
    {
        var result = BuildSh("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var target in new[] { "Clean", "Restore", "Compile", "Test", "Publish", "Package", "Sign" })
            Assert.Contains(target, result.Output, StringComparison.Ordinal);
        foreach (var option in new[] { "--profile-file", "--output", "--rid", "--version", "--sign-pfx", "--gpg-key" })
            Assert.Contains(option, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_target_names_the_valid_targets_on_one_line_and_exits_2()
    {
        var result = BuildSh("Bogus");
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("Unknown target 'Bogus'. Valid targets: Clean, Restore, Compile, Test, Publish, Package, Sign, Verify, Functions.", line);
    }

    [Fact]
    public void Unknown_option_names_the_valid_options_on_one_line_and_exits_2()
    {
        var result = BuildSh("Package", "--colour", "red");
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Unknown option '--colour'. Valid options: --profile-file, --output, --rid,", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_rid_names_the_valid_rids_exits_2_and_writes_nothing()
    {
        using var output = new TempDirectory();
        var result = BuildSh("Package", "--rid", "linux-x64", "--rid", "freebsd-x64", "--output", output.Path, "--skip-prerequisites");
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("Unknown RID 'freebsd-x64'. Valid RIDs: win-x64, win-arm64, osx-x64, osx-arm64, linux-x64, linux-arm64.", line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output.Path));
    }

    [Fact]
    public void Unknown_rid_given_to_msbuild_directly_fails_with_one_error()
    {
        using var output = new TempDirectory();
        var result = Run.Tool("dotnet", ["msbuild", Repo.PathOf("build", "Build.proj"), "-nologo", "-nr:false", "-clp:NoSummary",
            "-t:Publish", "-p:Rids=linux-x86", $"-p:OutputDir={output.Path}"], workingDirectory: Repo.Root);
        Assert.NotEqual(0, result.ExitCode);
        var errors = result.Output.Split('\n').Where(l => l.Contains("error", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.Contains("error CCWB001: Unknown RID 'linux-x86'. Valid RIDs: win-x64, win-arm64, osx-x64, osx-arm64, linux-x64, linux-arm64.", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output.Path));
    }
}

/// <summary>build.cmd under wine's cmd.exe: the same usage contract as build.sh.</summary>
public sealed class BuildCmdTests : IDisposable
{
    private readonly WinePrefix _wine = new();

    private Run.Result BuildCmd(params string[] arguments) =>
        _wine.Exec(["cmd", "/c", WinePrefix.WindowsPath(Repo.PathOf("build.cmd")), .. arguments]);

    [Fact]
    public void Help_lists_the_targets_and_exits_0()
    {
        var result = BuildCmd("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Targets: Clean, Restore, Compile, Test, Publish, Package, Sign", result.Output, StringComparison.Ordinal);
        Assert.Contains("--prebuilt", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bogus", "Unknown target 'Bogus'. Valid targets: Clean, Restore, Compile, Test, Publish, Package, Sign, Verify, Functions.")]
    [InlineData("Package --colour red", "Unknown option '--colour'. Valid options: --profile-file, --output, --rid, --configuration, --version, --verbosity, --sign-pfx, --sign-password-env, --sign-cert, --sign-key, --pkg-sign-pfx, --pkg-sign-cert, --pkg-sign-key, --timestamp-url, --gpg-key, --gpg-homedir, --prebuilt, --manifest, --skip-prerequisites, --help.")]
    [InlineData("Package --rid freebsd-x64", "Unknown RID 'freebsd-x64'. Valid RIDs: win-x64, win-arm64, osx-x64, osx-arm64, linux-x64, linux-arm64.")]
    public void Usage_errors_print_one_line_and_exit_2(string arguments, string expected)
    {
        var result = BuildCmd(arguments.Split(' '));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, Assert.Single(result.Error.Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries)));
    }

    public void Dispose() => _wine.Dispose();
}
