using System.CommandLine;

namespace Ccwb.Cli;

/// <summary><c>ccwb profile …</c>: inspect and validate deployment profiles.</summary>
internal static class ProfileCommands
{
    public static Command Create() => new("profile", "Inspect and validate deployment profiles.");
}
