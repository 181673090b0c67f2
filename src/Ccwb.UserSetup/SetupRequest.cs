using System.Text.RegularExpressions;
using Ccwb.Contract.Config;

namespace Ccwb.UserSetup;

/// <summary>An AWS profile to add: its name and region, as config.json lists them.</summary>
public sealed partial record AwsProfileEntry(string Name, string Region)
{
    /// <summary>Parses NAME=REGION; names follow the profile validator's rule, so they never need quoting in INI.</summary>
    public static AwsProfileEntry Parse(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length != 2 || !ProfileNames.IsValid(parts[0]))
            throw new SetupException($"--profile '{text}': expected NAME=REGION with a name of 1-64 letters, digits and hyphens.");
        if (!RegionName().IsMatch(parts[1]))
            throw new SetupException($"--profile '{text}': '{parts[1]}' is not an AWS region name.");
        return new AwsProfileEntry(parts[0], parts[1]);
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionName();
}

/// <summary>What one installation adds for a user.</summary>
/// <param name="InstallDirectory">Where credential-process.exe is installed (the settings and profiles point there).</param>
/// <param name="IncomingSettings">The package's Claude Code settings, with placeholders; null to leave settings.json alone.</param>
/// <param name="CoworkRegistryFile">
/// The package's Claude Desktop policy (.reg) with home placeholders, copied into the install folder under its own
/// name with the user's home written in (install.bat; the user imports it); null for none.
/// </param>
public sealed record SetupRequest(string InstallDirectory, string? IncomingSettings, IReadOnlyList<AwsProfileEntry> Profiles,
    string? CoworkRegistryFile = null);
