using Ccwb.Contract.Files;

namespace Ccwb.Contract.Tests;

public class AwsIniTextTests
{
    private const string Section = "profile ClaudeCode";

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
        { "section already there", "[default]\nregion = a\n\n[profile ClaudeCode]\nregion = eu-west-1\noutput = json\n# mine\n\n[profile b]\nregion = c\n" },
        { "section there without a final newline", "[profile ClaudeCode]\r\nregion = eu-west-1" },
        { "section with the same values", "[profile ClaudeCode]\nregion = us-east-1\ncredential_process = \"C:\\Users\\Jo Smith\\claude-code-with-bedrock\\credential-process.exe\" --profile ClaudeCode\n" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Setting_keys_then_undoing_the_edit_gives_back_every_byte(string name, string original)
    {
        var text = AwsIniText.Parse(original);
        var edit = text.SetKeys(Section, Entries);

        Assert.Equal(Entries, text.Entries(Section)!.Where(e => Entries.Any(x => x.Key == e.Key)).OrderBy(e => Array.FindIndex(Entries, x => x.Key == e.Key)));
        if (edit.CreatedSection) text.RemoveSection(Section, edit.Separator);
        else foreach (var change in Enumerable.Reverse(edit.Changes)) text.RestoreKey(Section, change);
        Assert.True(original == text.ToString(), name);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Setting_the_same_keys_twice_changes_nothing_the_second_time(string name, string original)
    {
        var text = AwsIniText.Parse(original);
        text.SetKeys(Section, Entries);
        var once = text.ToString();

        var second = text.SetKeys(Section, Entries);

        Assert.False(second.Changed, name);
        Assert.Equal(once, text.ToString());
    }

    [Fact]
    public void An_existing_section_keeps_its_other_keys_and_comments_and_gets_changed_values_in_place()
    {
        var text = AwsIniText.Parse("[profile ClaudeCode]\nregion = eu-west-1\noutput = json\n; note\n\n[default]\nregion = x\n");

        var edit = text.SetKeys(Section, Entries);

        Assert.Equal(
            "[profile ClaudeCode]\nregion = us-east-1\noutput = json\ncredential_process = " + Entries[1].Value + "\n; note\n\n[default]\nregion = x\n",
            text.ToString());
        Assert.False(edit.CreatedSection);
        Assert.Equal([new IniKeyChange("region", "eu-west-1", "us-east-1"), new IniKeyChange("credential_process", null, Entries[1].Value)], edit.Changes);
    }

    [Fact]
    public void Appended_section_follows_a_blank_line_and_ends_an_unterminated_last_line()
    {
        var text = AwsIniText.Parse("[default]\r\nregion = eu-west-1");
        var edit = text.SetKeys("profile p", [new("region", "us-east-1")]);
        Assert.Equal("[default]\r\nregion = eu-west-1\r\n\r\n[profile p]\r\nregion = us-east-1\r\n", text.ToString());
        Assert.Equal("\r\n\r\n", edit.Separator);
    }

    [Theory]
    [InlineData("[profile p]\n")]
    [InlineData("[ profile   p ]\n")]
    [InlineData("  [profile p] # added by hand\n")]
    [InlineData("[default]\nregion = x\n\n[profile p]\r\nregion = y")]
    public void A_present_section_is_found_however_it_is_spaced(string text)
    {
        Assert.True(AwsIniText.Parse(text).Contains("profile p"));
    }

    [Theory]
    [InlineData("# [profile p]\n")]
    [InlineData("; [profile p]\n")]
    [InlineData("[profile pp]\n")]
    [InlineData("[p]\n")]
    [InlineData("region = [profile p]\n")]
    public void Comments_other_names_and_values_are_not_the_section(string text)
    {
        Assert.False(AwsIniText.Parse(text).Contains("profile p"));
    }

    [Fact]
    public void Removing_an_appended_section_keeps_a_section_the_user_added_after_it()
    {
        var text = AwsIniText.Parse("[default]\nregion = a\n");
        var edit = text.SetKeys("profile p", [new("region", "b")]);
        text = AwsIniText.Parse(text + "[profile mine]\nregion = c\n");

        text.RemoveSection("profile p", edit.Separator);

        Assert.Equal("[default]\nregion = a\n[profile mine]\nregion = c\n", text.ToString());
    }

    [Fact]
    public void Removing_takes_the_whole_section_including_keys_added_to_it_later()
    {
        var text = AwsIniText.Parse("[default]\n");
        var edit = text.SetKeys("profile p", [new("region", "b")]);
        text = AwsIniText.Parse(text + "output = json\n");

        text.RemoveSection("profile p", edit.Separator);

        Assert.Equal("[default]\n", text.ToString());
    }

    [Fact]
    public void Removing_an_absent_section_changes_nothing()
    {
        var text = AwsIniText.Parse("[default]\nregion = a\n");
        Assert.False(text.RemoveSection("profile p"));
        Assert.Equal("[default]\nregion = a\n", text.ToString());
    }

    [Theory]
    [InlineData("[a]\nk = 1\n\n[P]\nk = 2\n\n[b]\nk = 3\n", "[a]\nk = 1\n\n[b]\nk = 3\n")]
    [InlineData("[a]\nk = 1\n\n[P]\nk = 2\n", "[a]\nk = 1\n")]
    [InlineData("[P]\nk = 2\n# about b\n[b]\nk = 3\n", "# about b\n[b]\nk = 3\n")]
    public void Tidy_removal_leaves_no_double_gap_and_no_trailing_blank_lines(string before, string after)
    {
        var text = AwsIniText.Parse(before);
        Assert.True(text.RemoveSection("P"));
        Assert.Equal(after, text.ToString());
    }

    [Theory]
    [InlineData("[a]\r\nk = 1\r\n\r\n[P]\r\nold = x\r\n# about b\r\n[b]\r\n", "[a]\r\nk = 1\r\n\r\n[P]\r\nk = v\r\n# about b\r\n[b]\r\n")]
    [InlineData("[P]\nold = x", "[P]\nk = v")]
    [InlineData("", "[P]\nk = v\n")]
    public void Replacing_a_section_rewrites_only_its_lines(string before, string after)
    {
        var text = AwsIniText.Parse(before);
        text.ReplaceSection("P", [new("k", "v")]);
        Assert.Equal(after, text.ToString());
    }

    [Fact]
    public void A_hash_inside_a_value_is_part_of_the_value_as_in_the_AWS_SDKs()
    {
        var entries = AwsIniText.Parse("[P]\naws_session_token = abc#def==\n").Entries("P");
        Assert.Equal("abc#def==", entries!.Single().Value);
    }
}
