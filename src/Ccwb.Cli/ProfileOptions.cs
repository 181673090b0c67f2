using System.CommandLine;
using Ccwb.Profiles;

namespace Ccwb.Cli;

/// <summary>
/// The <c>--profile NAME | --profile-file F</c> pair every command that works on a profile takes, and how it resolves:
/// a file, a stored profile, or else the active stored profile.
/// </summary>
internal sealed class ProfileOptions
{
    public Option<string?> Profile { get; } = new("--profile", "-p")
    {
        Description = "Name of a stored profile (~/.ccwb/profiles/<name>.json); default: the active profile",
    };

    public Option<FileInfo?> ProfileFile { get; } = new("--profile-file")
    {
        Description = "Path of a profile JSON file",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Profile);
        command.Options.Add(ProfileFile);
        // On the option, so the error names it: error: --profile-file: use either --profile or --profile-file, not both
        ProfileFile.Validators.Add(result =>
        {
            if (result.GetResult(Profile) is not null) result.AddError("use either --profile or --profile-file, not both");
        });
    }

    /// <summary>Loads and validates the profile the options name (the active one when neither is given).</summary>
    public ProfileLoadResult Load(ParseResult parse, TextWriter output)
    {
        if (parse.GetValue(ProfileFile) is { } file) return ProfileLoader.LoadFile(file.FullName);
        var store = StoreAccess.Open(output);
        return parse.GetValue(Profile) is { } name ? store.Load(name) : store.LoadActive();
    }
}
