using System.Security.Cryptography;
using Ccwb.Contract.Files;

namespace Ccwb.Cli.DeploymentTest;

/// <summary>
/// A throw-away AWS profile <c>ccwb-test-&lt;8 hex&gt;</c> whose <c>credential_process</c> runs the packaged helper, in a
/// private copy of the user's AWS config (what <c>AWS_CONFIG_FILE</c> points the helper at). The user's own
/// <c>~/.aws/config</c> is only read; the copy and its folder are deleted on dispose.
/// </summary>
internal sealed class TemporaryAwsProfile : IDisposable
{
    private readonly string directory;

    private TemporaryAwsProfile(string directory, string name, string configFile, IReadOnlyList<string> command)
    {
        this.directory = directory;
        Name = name;
        ConfigFile = configFile;
        Command = command;
    }

    public string Name { get; }
    public string ConfigFile { get; }
    /// <summary>The credential_process command line as read back from the written file, split into arguments.</summary>
    public IReadOnlyList<string> Command { get; }

    /// <param name="userConfig">The user's AWS config (<c>AWS_CONFIG_FILE</c> or <c>~/.aws/config</c>), copied if it exists.</param>
    public static TemporaryAwsProfile Create(string userConfig, string helper, string helperProfile, string region)
    {
        var directory = Path.Combine(Path.GetTempPath(), "ccwb-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        AtomicFile.CreatePrivateDirectory(directory);
        try
        {
            var name = "ccwb-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var configFile = Path.Combine(directory, "config");
            AwsIniText text;
            try
            {
                text = AwsIniFile.Read(userConfig, "\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DeploymentTestException("aws config", $"cannot read {userConfig}: {e.Message}");
            }
            text.ReplaceSection(AwsIniText.ProfileSection(name),
            [
                new("credential_process", $"{Quote(helper)} --profile {helperProfile}"),
                new("region", region),
            ]);
            AtomicFile.WriteAllText(configFile, text.ToString());
            // Read back what was written: the test runs exactly the line an AWS SDK would.
            var line = AwsIniFile.Read(configFile).Entries(AwsIniText.ProfileSection(name))!
                .Single(e => e.Key == "credential_process").Value;
            return new TemporaryAwsProfile(directory, name, configFile, CommandLineWords.Split(line));
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    // Upstream's and the Windows installer's form: the program in double quotes (install paths may hold spaces), the
    // flags plain. A path with a double quote in it cannot be written so on every OS.
    private static string Quote(string path) => path.Contains('"', StringComparison.Ordinal)
        ? throw new DeploymentTestException("--package", $"the package path {path} contains a double quote; move the package elsewhere")
        : "\"" + path + "\"";

    public void Dispose()
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a temporary folder; the OS cleans it */ }
    }
}
