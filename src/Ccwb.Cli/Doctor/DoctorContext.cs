using Ccwb.Contract.Files;
using Ccwb.Contract.Install;
using Ccwb.Credentials.Config;

namespace Ccwb.Cli.Doctor;

/// <summary>
/// What every check needs to know about the machine: the user's home, the environment, where the package is
/// installed, the helper's config.json and the profile being checked. Read once and shared.
/// </summary>
internal sealed class DoctorContext
{
    private readonly Lazy<(ConfigFile? File, string? Error)> _config;

    public DoctorContext(string home, Func<string, string?> environment, string? requestedProfile, Uri? clockEndpoint)
    {
        Home = home;
        Environment = environment;
        RequestedProfile = string.IsNullOrEmpty(requestedProfile) ? null : requestedProfile;
        ClockEndpoint = clockEndpoint;
        _config = new(LoadConfig);
    }

    public string Home { get; }

    public Func<string, string?> Environment { get; }

    /// <summary>Set by <c>--profile</c>; else the helper's own choice (<c>CCWB_PROFILE</c>, ClaudeCode, or the only profile).</summary>
    public string? RequestedProfile { get; }

    public Uri? ClockEndpoint { get; }

    /// <summary>The folders the installers put the programs in on this OS (per-user first).</summary>
    public IReadOnlyList<string> ProgramFolders => InstallLocations.ProgramFolders(Home);

    /// <summary>The installed program, from the first install folder that has it; null when none does.</summary>
    public string? ProgramPath(string program) =>
        ProgramFolders.Select(folder => Path.Combine(folder, InstallLocations.ProgramFileName(program))).FirstOrDefault(File.Exists);

    /// <summary>The folder of the installed credential-process: the helper reads config.json beside itself first.</summary>
    public string? InstallFolder => ProgramPath("credential-process") is { } path ? Path.GetDirectoryName(path) : null;

    /// <summary>The helper's config.json as the helper would read it, or why it cannot be.</summary>
    public ConfigFile? Config => _config.Value.File;

    public string? ConfigError => _config.Value.Error;

    /// <summary>The profile name the helper would use.</summary>
    public string ProfileName
    {
        get
        {
            var variable = Environment("CCWB_PROFILE");
            var resolved = ProfileSelector.Resolve(null, RequestedProfile, variable);
            return Config is { } config ? ProfileSelector.ApplySoleProfile(resolved, variable, config) : resolved;
        }
    }

    /// <summary>The checked profile of config.json, or null when config.json or the profile is missing.</summary>
    public ProfileConfig? Profile => Config?.Profiles.GetValueOrDefault(ProfileName);

    /// <summary>The AWS config file, where <c>AWS_CONFIG_FILE</c> puts it as the AWS CLI does.</summary>
    public string AwsConfigPath => AwsIniFile.ConfigPath(Environment, Home);

    private (ConfigFile?, string?) LoadConfig()
    {
        try
        {
            return (ConfigLoader.LoadFirst(InstallFolder, Home), null);
        }
        catch (ConfigException e)
        {
            return (null, e.Message);
        }
    }
}
