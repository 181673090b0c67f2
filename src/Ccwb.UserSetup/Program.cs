using System.CommandLine;
using Ccwb.Contract.Files;
using Ccwb.UserSetup;

// Run by the MSI (deferred, as the installing user) and by Active Setup at each user's next logon. Neither shows this
// program's output, so every failure is also appended to the user's log beside the setup record.
var paths = UserPaths.ForCurrentUser();

var installDir = new Option<string>("--install-dir")
{
    Description = "Where credential-process.exe is installed (default: this program's folder).",
    DefaultValueFactory = _ => AppContext.BaseDirectory,
};
var settings = new Option<string?>("--settings")
{
    Description = "The package's Claude Code settings (with placeholders) to merge into the user's settings.json.",
};
var profiles = new Option<string[]>("--profile")
{
    Description = "An AWS profile to add as NAME=REGION (repeatable).",
};

var coworkRegistryFile = new Option<string?>("--cowork-reg")
{
    Description = "The package's Claude Desktop policy (.reg) to copy into the install folder with the user's home folder written in.",
};

var install = new Command("install", "Add this package's settings and AWS profiles for the current user.") { installDir, settings, profiles, coworkRegistryFile };
install.SetAction(parse => Run("install", () =>
{
    var request = new SetupRequest(
        Path.GetFullPath(parse.GetValue(installDir)!),
        parse.GetValue(settings),
        [.. (parse.GetValue(profiles) ?? []).Select(AwsProfileEntry.Parse)],
        parse.GetValue(coworkRegistryFile));
    new UserSetup(paths).Install(request);
    return [];
}));

var managedSettings = new Option<string>("--settings")
{
    Description = "The package's managed Claude Code settings (with placeholders).",
    Required = true,
};
var managedOutput = new Option<string>("--output")
{
    Description = "The machine-wide managed settings file to write (replaced whole).",
    Required = true,
};
var managed = new Command("managed-settings", "Write the package's managed Claude Code settings with the installed paths filled in (as administrator).")
{
    installDir, managedSettings, managedOutput,
};
managed.SetAction(parse => Run("managed-settings", () =>
{
    UserSetup.WriteManagedSettings(parse.GetValue(managedSettings)!, Path.GetFullPath(parse.GetValue(installDir)!), parse.GetValue(managedOutput)!);
    return [];
}));

var uninstall = new Command("uninstall", "Take out what the last installation added for the current user.");
uninstall.SetAction(_ => Run("uninstall", () => new UserSetup(paths).Uninstall()));

var root = new RootCommand("ccwb-user-setup: add or remove this package's Claude Code settings and AWS profiles for the current user.")
{
    install,
    managed,
    uninstall,
};
return root.Parse(args).Invoke();

int Run(string step, Func<IReadOnlyList<string>> action)
{
    try
    {
        foreach (var warning in action()) Report($"{step}: warning: {warning}");
        return 0;
    }
    catch (Exception e) when (e is SetupException or IOException or UnauthorizedAccessException)
    {
        Report($"{step} failed: {e.Message}");
        return 1;
    }
}

void Report(string message)
{
    Console.Error.WriteLine($"ccwb-user-setup: {message}");
    try
    {
        AtomicFile.CreatePrivateDirectory(Path.GetDirectoryName(paths.Log)!);
        File.AppendAllText(paths.Log, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {message}{Environment.NewLine}");
    }
    catch (IOException)
    {
        // The message is on stderr already; a log that cannot be written must not hide the original failure.
    }
}
