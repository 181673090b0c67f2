namespace Ccwb.UserSetup.Tests;

public class AwsConfigSectionsTests
{
    private static readonly KeyValuePair<string, string>[] Entries =
    [
        new("region", "us-east-1"),
        new("credential_process", "\"C:\\Users\\Jo Smith\\claude-code-with-bedrock\\credential-process.exe\" --profile ClaudeCode"),
    ];

    public static TheoryData<string, string> Files => new()
    {
        { "empty", "" },
        { "lf", "[default]\nregion = eu-west-1\n" },
        { "crlf", "[default]\r\nregion = eu-west-1\r\n" },
        { "no trailing newline", "[default]\r\nregion = eu-west-1" },
        { "comments and blank lines", "# managed by IT\n[default]\n; old region\nregion = eu-west-1\n\n\n" },
        { "other profiles", "[profile a]\nregion = us-west-2\n\n[profile b]\nregion = eu-central-1\n" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Append_then_remove_gives_back_every_byte(string name, string original)
    {
        var newline = original.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var (added, separator) = AwsConfigSections.Append(original, "profile ClaudeCode", Entries, newline);

        Assert.StartsWith(original, added, StringComparison.Ordinal);
        Assert.True(AwsConfigSections.Contains(added, "profile ClaudeCode"), name);
        Assert.EndsWith($"[profile ClaudeCode]{newline}region = us-east-1{newline}credential_process = {Entries[1].Value}{newline}", added, StringComparison.Ordinal);
        Assert.Equal(original, AwsConfigSections.Remove(added, "profile ClaudeCode", separator));
    }

    [Fact]
    public void Appended_section_follows_a_blank_line_like_install_bat_and_ends_an_unterminated_last_line()
    {
        var (text, separator) = AwsConfigSections.Append("[default]\r\nregion = eu-west-1", "profile p", [new("region", "us-east-1")], "\r\n");
        Assert.Equal("[default]\r\nregion = eu-west-1\r\n\r\n[profile p]\r\nregion = us-east-1\r\n", text);
        Assert.Equal("\r\n\r\n", separator);
    }

    [Theory]
    [InlineData("[profile p]\n")]
    [InlineData("[ profile   p ]\n")]
    [InlineData("  [profile p] # added by hand\n")]
    [InlineData("[default]\nregion = x\n\n[profile p]\r\nregion = y")]
    public void A_present_section_is_found_however_it_is_spaced(string text)
    {
        Assert.True(AwsConfigSections.Contains(text, "profile p"));
    }

    [Theory]
    [InlineData("# [profile p]\n")]
    [InlineData("; [profile p]\n")]
    [InlineData("[profile pp]\n")]
    [InlineData("[p]\n")]
    [InlineData("region = [profile p]\n")]
    public void Comments_other_names_and_values_are_not_the_section(string text)
    {
        Assert.False(AwsConfigSections.Contains(text, "profile p"));
    }

    [Fact]
    public void Removing_keeps_a_section_the_user_added_after_ours()
    {
        var (added, separator) = AwsConfigSections.Append("[default]\nregion = a\n", "profile p", [new("region", "b")], "\n");
        var edited = added + "[profile mine]\nregion = c\n";

        Assert.Equal("[default]\nregion = a\n[profile mine]\nregion = c\n", AwsConfigSections.Remove(edited, "profile p", separator));
    }

    [Fact]
    public void Removing_takes_the_whole_section_including_keys_added_to_it_later()
    {
        var (added, separator) = AwsConfigSections.Append("[default]\n", "profile p", [new("region", "b")], "\n");
        var edited = added + "output = json\n";

        Assert.Equal("[default]\n", AwsConfigSections.Remove(edited, "profile p", separator));
    }

    [Fact]
    public void Removing_an_absent_section_changes_nothing()
    {
        const string text = "[default]\nregion = a\n";
        Assert.Same(text, AwsConfigSections.Remove(text, "profile p", "\n"));
    }

    [Theory]
    [InlineData("[profile p]\nregion = x\n", true)]
    [InlineData("[profile p]\n# region = x\n\n; note\n[default]\nregion = y\n", false)]
    [InlineData("[default]\nregion = y\n[profile p]\r\n", false)]
    public void A_section_has_entries_when_a_line_under_it_is_neither_blank_nor_a_comment(string text, bool expected)
    {
        Assert.Equal(expected, AwsConfigSections.HasEntries(text, "profile p"));
    }
}
