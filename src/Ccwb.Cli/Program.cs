using System.CommandLine;
using Ccwb.Cli;

// Each area contributes its command group; the root only assembles them. --version prints the informational version,
// which the build stamps as <Version>+<commit>.
var root = new RootCommand("ccwb: roll out Claude Code and Claude Desktop on Amazon Bedrock with your identity provider.")
{
    ProfileCommands.Create(),
    ContextCommands.Create(),
    CoworkCommands.Create(),
    DeployCommands.CreateDeploy(),
    DeployCommands.CreateDestroy(),
};

return root.Parse(args).Invoke();
