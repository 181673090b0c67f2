using Ccwb.Contract.Files;

namespace Ccwb.Contract.Tests;

/// <summary>
/// The one splitter for command lines in configuration files (credential_process, Claude Code's settings), checked
/// against what botocore's compat_shell_split gives for the same text on each OS.
/// </summary>
public class CommandLineWordsTests
{
    [Theory]
    [InlineData(@"/opt/with\ space/credential-process --profile ClaudeCode")]
    [InlineData("\"/opt/with space/credential-process\" --profile ClaudeCode")]
    [InlineData("'/opt/with space/credential-process'   --profile\tClaudeCode")]
    [InlineData("/opt/with' 'space/credential-process --profile \"ClaudeCode\"")]
    public void An_escaped_or_quoted_path_with_a_space_is_one_word_on_unix(string line) =>
        Assert.Equal(["/opt/with space/credential-process", "--profile", "ClaudeCode"], CommandLineWords.Split(line, windows: false));

    [Theory]
    [InlineData(@"""a \""b\"" c\\d \e""", @"a ""b"" c\d \e")] // inside double quotes only \" and \\ are escapes
    [InlineData(@"'a \"" \\ b'", @"a \"" \\ b")] // single quotes keep everything
    [InlineData(@"a\\b\c", @"a\bc")] // outside quotes a backslash escapes any character
    [InlineData(@"tail\", @"tail\")] // a final lone backslash is kept (shlex refuses the line)
    public void Unix_backslash_and_quote_rules(string line, string word) =>
        Assert.Equal([word], CommandLineWords.Split(line, windows: false));

    [Theory]
    [InlineData(@"""C:\Program Files\Claude Code\credential-process.exe"" --profile ClaudeCode", @"C:\Program Files\Claude Code\credential-process.exe")]
    [InlineData(@"C:\Users\me\claude-code-with-bedrock\credential-process.exe --profile ClaudeCode", @"C:\Users\me\claude-code-with-bedrock\credential-process.exe")]
    [InlineData(@"\\server\share\credential-process.exe --profile ClaudeCode", @"\\server\share\credential-process.exe")]
    public void Windows_backslashes_in_paths_stay(string line, string program) =>
        Assert.Equal([program, "--profile", "ClaudeCode"], CommandLineWords.Split(line, windows: true));

    [Theory]
    [InlineData(@"a\""b", @"a""b")] // an odd run of backslashes makes the quote literal
    [InlineData(@"a\\""b c""", @"a\b c")] // an even run: half as many backslashes, and the quote groups
    [InlineData(@"'a", "'a")] // single quotes are ordinary characters
    [InlineData(@"""""", "")] // an empty quoted word is a word
    public void Windows_backslash_and_quote_rules(string line, string word) =>
        Assert.Equal([word], CommandLineWords.Split(line, windows: true));

    [Fact]
    public void The_program_of_a_blank_line_is_empty() => Assert.Equal("", CommandLineWords.Program("   "));

    [Fact]
    public void Unclosed_quote_runs_to_the_end_so_the_program_can_still_be_named()
    {
        Assert.Equal(["/opt/a b/cp --x"], CommandLineWords.Split("\"/opt/a b/cp --x", windows: false));
        Assert.Equal([@"C:\a b\cp.exe --x"], CommandLineWords.Split(@"""C:\a b\cp.exe --x", windows: true));
    }
}
