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
    Ccwb.Cli.Distribution.DistributeCommand.Create(),
    StatusCommand.Create(),
    Ccwb.Cli.Quota.QuotaCommands.Create(),
    ConfigCommands.Create(),
    Ccwb.Cli.Doctor.DoctorCommand.Create(),
    Ccwb.Cli.Init.InitCommand.Create(),
    Ccwb.Cli.DeploymentTest.TestCommand.Create(),
};

// A mistake on the command line is reported in the one error format (not System.CommandLine's text and help page);
// --help and --version clear parse errors, so they still work whatever else is on the line.
var parse = root.Parse(args);
if (parse.Action is System.CommandLine.Invocation.ParseErrorAction) return ParseErrors.Print(parse, Console.Error);

// Ctrl+C cancels the running command, which then cleans up (an interrupted upload is aborted in the bucket);
// the default two seconds are too short for that round trip.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
