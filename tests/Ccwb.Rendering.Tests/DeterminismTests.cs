using Ccwb.Testing;

namespace Ccwb.Rendering.Tests;

/// <summary>Same profile and options: byte-identical folders, whatever the run.</summary>
public class DeterminismTests
{
    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Writing_twice_gives_byte_identical_folders(string profile)
    {
        using var dir = new TempDirectory();
        var loaded = ExampleProfiles.Load(profile);
        var a = ProfileArtifacts.Write(loaded, dir.Combine("a"));
        var b = ProfileArtifacts.Write(loaded, dir.Combine("b"));
        Assert.Equal(a, b);
        foreach (var path in a)
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir.Path, "a", path)), File.ReadAllBytes(Path.Combine(dir.Path, "b", path)));
    }

    [Fact]
    public void Without_SOURCE_DATE_EPOCH_the_version_follows_the_profile_content()
    {
        var profile = ExampleProfiles.Load("okta-direct");
        Assert.Equal(RenderOptions.ForProfile(profile).Version, RenderOptions.ForProfile(profile).Version);
        Assert.NotEqual(RenderOptions.ForProfile(profile).Version, RenderOptions.ForProfile(profile with { AwsRegion = "us-west-2" }).Version);
    }

    [Fact]
    public void Line_endings_are_crlf_exactly_for_windows_consumers_and_files_carry_no_bom()
    {
        foreach (var file in ExampleProfiles.Render("okta-direct"))
        {
            var text = System.Text.Encoding.UTF8.GetString(file.Content);
            var windows = file.Path.EndsWith(".reg", StringComparison.Ordinal) || file.Path.EndsWith(".ps1", StringComparison.Ordinal) ||
                          file.Path.EndsWith(".cmd", StringComparison.Ordinal) || file.Path.EndsWith(".bat", StringComparison.Ordinal);
            var bareLf = text.Replace("\r\n", "", StringComparison.Ordinal).Contains('\n', StringComparison.Ordinal);
            if (windows) Assert.False(bareLf, $"{file.Path} has a bare LF");
            else Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
            Assert.False(file.Content.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]), $"{file.Path} starts with a BOM");
        }
    }
}
