using Ccwb.Contract.Config;
using Ccwb.Http;

namespace Ccwb.Credentials.Config;

/// <summary>Which profile an invocation means: <c>-p</c> &gt; <c>--profile</c> &gt; <c>CCWB_PROFILE</c> &gt; <c>ClaudeCode</c>.</summary>
public static class ProfileSelector
{
    public const string BuiltInDefault = "ClaudeCode";

    public static string DefaultName(string? ccwbProfileVariable) =>
        string.IsNullOrEmpty(ccwbProfileVariable) ? BuiltInDefault : ccwbProfileVariable;

    public static string Resolve(string? shortFlag, string? longFlag, string? ccwbProfileVariable)
    {
        if (!string.IsNullOrEmpty(shortFlag)) return shortFlag;
        if (!string.IsNullOrEmpty(longFlag)) return longFlag;
        return DefaultName(ccwbProfileVariable);
    }

    /// <summary>
    /// Why <paramref name="name"/> cannot be used, or null. The name becomes an INI section name, part of file names
    /// under <c>~/.claude-code-session</c> and a keyring item name, so <c>../x</c>, <c>a]b</c> or a line break must
    /// stop here, before anything is read or written.
    /// </summary>
    public static string? Problem(string name) =>
        ProfileNames.IsValid(name) ? null : $"'{TerminalText.Clean(name, ProfileNames.MaxLength)}' is not a valid profile name ({ProfileNames.Rule})";

    /// <summary><paramref name="name"/> itself, or a <see cref="ConfigException"/> saying why it cannot be used.</summary>
    public static string Checked(string name) =>
        Problem(name) is { } problem ? throw new ConfigException(problem) : name;

    /// <summary>
    /// A config.json with exactly one profile serves the default name, so a single-profile install works without
    /// <c>--profile</c>. A name the file really contains is never replaced.
    /// </summary>
    public static string ApplySoleProfile(string resolved, string? ccwbProfileVariable, ConfigFile config)
    {
        if (config.Profiles.ContainsKey(resolved)) return resolved;
        if (resolved != DefaultName(ccwbProfileVariable) || config.Profiles.Count != 1) return resolved;
        return config.Profiles.Keys.First();
    }
}
