using Ccwb.Contract.Files;
using Ccwb.Testing;

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
