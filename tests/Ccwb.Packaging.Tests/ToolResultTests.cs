using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Tests;

/// <summary>The line a failed tool's one-line error message quotes.</summary>
public class ToolResultTests
{
    [Fact]
    public void Last_line_is_the_last_non_empty_line_of_stderr_even_when_stdout_has_later_output()
    {
        var result = new ToolResult(2, "progress 1\nprogress 2\n", "warning: slow\n  error: bad key  \n\n");
        Assert.Equal("error: bad key", result.LastLine);
    }

    [Fact]
    public void Last_line_falls_back_to_stdout_when_stderr_is_blank()
    {
        Assert.Equal("done with errors", new ToolResult(1, "step\ndone with errors\n", " \n").LastLine);
    }

    [Fact]
    public void Last_line_is_empty_when_the_tool_printed_nothing()
    {
        Assert.Equal("", new ToolResult(1, "", "").LastLine);
    }
}
