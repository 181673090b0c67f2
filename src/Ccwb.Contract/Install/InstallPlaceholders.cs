namespace Ccwb.Contract.Install;

/// <summary>
/// The placeholders rendered files carry where a path on the user's machine belongs. Every installer (install.sh,
/// install.bat, the deb, the MSI's user setup, the macOS package) replaces them with the installed paths.
/// </summary>
public static class InstallPlaceholders
{
    /// <summary>The installed <c>credential-process</c> program.</summary>
    public const string CredentialProcess = "__CREDENTIAL_PROCESS_PATH__";

    /// <summary>The installed <c>otel-helper</c> program.</summary>
    public const string OtelHelper = "__OTEL_HELPER_PATH__";

    /// <summary>The user's home folder, in files Claude Desktop reads (it expands neither <c>~</c> nor variables).</summary>
    public const string Home = "__CCWB_HOME__";

    /// <summary>The home folder as it must appear inside JSON text on Windows (backslashes doubled).</summary>
    public const string HomeJson = "__CCWB_HOME_JSON__";

    /// <summary>
    /// Placeholders that stand for a program, with the program's name. credential-process-full and otel-helper-full have
    /// none: generated files run the fronts, which find their full programs beside themselves.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Programs { get; } =
    [
        new(CredentialProcess, "credential-process"),
        new(OtelHelper, "otel-helper"),
    ];

    /// <summary>Replaces each program placeholder with the path <paramref name="pathOf"/> gives for that program's name.</summary>
    public static string ResolvePrograms(string text, Func<string, string> pathOf)
    {
        foreach (var (placeholder, program) in Programs)
            if (text.Contains(placeholder, StringComparison.Ordinal)) text = text.Replace(placeholder, pathOf(program), StringComparison.Ordinal);
        return text;
    }

    /// <summary>
    /// A Windows registry file (.reg) with the home placeholders replaced by <paramref name="home"/>: doubled backslashes
    /// in .reg string values, and doubled again where the value is JSON text.
    /// </summary>
    public static string ResolveHomeInRegistryFile(string text, string home) => text
        .Replace(HomeJson, home.Replace("\\", "\\\\\\\\", StringComparison.Ordinal), StringComparison.Ordinal)
        .Replace(Home, home.Replace("\\", "\\\\", StringComparison.Ordinal), StringComparison.Ordinal);
}
