using Ccwb.Contract.Files;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Contract.Tests;

public class AwsIniFileTests
{
    [Fact]
    public void A_symlinked_file_stays_a_link_and_its_target_gets_the_update()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory("ccwb-ini");
        var target = dir.Combine("dotfiles", "credentials");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, "[other]\nk = 1\n");
        var link = dir.Combine("aws", "credentials");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, "../dotfiles/credentials");

        AwsIniFile.Update(link, text => text.SetKeys("P", [new("k", "2")]));

        Assert.Equal("../dotfiles/credentials", new FileInfo(link).LinkTarget);
        Assert.Equal("[other]\nk = 1\n\n[P]\nk = 2\n", File.ReadAllText(target));
    }

    [Fact]
    public void Concurrent_updates_of_different_sections_lose_nothing()
    {
        using var dir = new TempDirectory("ccwb-ini");
        var path = dir.Combine("credentials");
        const int Writers = 16;
        const int Rounds = 10;

        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
        {
            for (var round = 0; round < Rounds; round++)
                AwsIniFile.Update(path, text => text.ReplaceSection($"profile-{writer}", [new("round", round.ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        });

        var final = AwsIniFile.Read(path);
        for (var writer = 0; writer < Writers; writer++)
            Assert.Equal("9", final.Entries($"profile-{writer}")!.Single().Value);
    }

    [Fact]
    public void A_change_the_aws_cli_makes_while_we_merge_is_merged_again_not_overwritten()
    {
        using var dir = new TempDirectory("ccwb-ini");
        var path = dir.Combine("credentials");
        File.WriteAllText(path, "[default]\naws_access_key_id = AKIADEFAULT\n");
        var edits = 0;

        // The real `aws configure set` (it takes no lock) writes between our read and our rename, every time the
        // same way: it runs inside the edit, after the file was read.
        AwsIniFile.Update(path, text =>
        {
            if (edits++ == 0) ConfigureSet(dir, path, "third", "aws_access_key_id", "AKIATHIRD");
            text.ReplaceSection("helper", [new("aws_access_key_id", "ASIAHELPER")]);
        });

        Assert.Equal("[default]\naws_access_key_id = AKIADEFAULT\n[third]\naws_access_key_id = AKIATHIRD\n\n[helper]\naws_access_key_id = ASIAHELPER\n",
            File.ReadAllText(path));
        Assert.Equal(2, edits);
        Assert.Equal([".credentials.lock", "credentials"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)); // no temporary file left
    }

    [Fact]
    public void A_file_that_changes_under_every_attempt_is_left_to_the_other_program_with_a_clear_error()
    {
        using var dir = new TempDirectory("ccwb-ini");
        var path = dir.Combine("credentials");
        File.WriteAllText(path, "[default]\nk = 0\n");
        var edits = 0;

        var error = Assert.Throws<IOException>(() => AwsIniFile.Update(path, text =>
        {
            File.WriteAllText(path, $"[default]\nk = {++edits}\n");
            text.ReplaceSection("helper", [new("k", "ours")]);
        }));

        Assert.Equal($"{path} changed under each of 5 attempts to update it (another program keeps writing it)", error.Message);
        Assert.Equal(5, edits);
        Assert.Equal("[default]\nk = 5\n", File.ReadAllText(path));
        Assert.Equal([".credentials.lock", "credentials"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)); // no temporary file left
    }

    /// <summary>The real AWS CLI setting one key of one profile in the credentials file at <paramref name="path"/>.</summary>
    internal static void ConfigureSet(TempDirectory home, string path, string profile, string key, string value)
    {
        var environment = Run.OnlyEnvironment(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HOME"] = home.Path,
            ["PATH"] = "/usr/bin:/bin",
            ["AWS_SHARED_CREDENTIALS_FILE"] = path,
            ["AWS_CONFIG_FILE"] = home.Combine("config"),
        });
        var result = Run.Tool(SystemPrograms.AwsCli, ["configure", "set", key, value, "--profile", profile], home.Path, environment, timeoutSeconds: 60);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void The_written_file_is_owner_only_and_a_missing_folder_is_created_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory("ccwb-ini");
        var path = dir.Combine("new", ".aws", "credentials");

        AwsIniFile.Update(path, text => text.ReplaceSection("P", [new("k", "v")]));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir.Combine("new", ".aws")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir.Combine("new")));
    }

    [Fact]
    public void An_edit_that_changes_nothing_does_not_write()
    {
        using var dir = new TempDirectory("ccwb-ini");
        var path = dir.Combine("config");
        File.WriteAllText(path, "[P]\nk = v\n");
        var before = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, before.AddHours(-1));

        AwsIniFile.Update(path, text => text.SetKeys("P", [new("k", "v")]));

        Assert.Equal(before.AddHours(-1), File.GetLastWriteTimeUtc(path));
    }
}
