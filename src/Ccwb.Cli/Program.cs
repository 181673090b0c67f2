using System.CommandLine;
using Ccwb.Cli;

// Each area contributes its command group; the root only assembles them.
var root = new RootCommand("ccwb: roll out Claude Code and Claude Desktop on Amazon Bedrock with your identity provider.")
{
    ProfileCommands.Create(),
};

return root.Parse(args).Invoke();
