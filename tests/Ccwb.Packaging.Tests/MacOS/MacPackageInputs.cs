using Ccwb.Packaging.Deb;
using Ccwb.Packaging.MacOS;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.MacOS;

/// <summary>
/// A small macOS package built from stand-in inputs (the packaging never runs the programs, so two distinct byte
/// strings stand in for the arm64 and x64 builds): builds in milliseconds, without a full Package run.
/// </summary>
public sealed class MacPackageInputs : IDisposable
{
    public const string Arm64Program = "arm64 credential-process build\n";
    public const string X64Program = "x86_64 credential-process build\n";
    public const string Settings = """{"env":{"AWS_PROFILE":"ClaudeCode"},"awsAuthRefresh":"__CREDENTIAL_PROCESS_PATH__ --profile ClaudeCode","otel":"__OTEL_HELPER_PATH__"}""";

    /// <summary>The part of a rendered Cowork profile the package rewrites: the helper paths in the per-user folder.</summary>
    public const string Mobileconfig = """
        <plist version="1.0"><dict>
        <key>inferenceCredentialHelper</key><string>__CCWB_HOME__/claude-code-with-bedrock/cowork-credential-helper.sh</string>
        </dict></plist>

        """;

    public const string CoworkHelper = "#!/bin/bash\nexec \"$(dirname \"$0\")/credential-process\" --desktop --profile okta-direct\n";

    private readonly TempDirectory _directory = new("ccwb-macpkg");

    public MacPackageInputs()
    {
        File.WriteAllText(_directory.Combine("cp-arm64"), Arm64Program);
        File.WriteAllText(_directory.Combine("cp-x64"), X64Program);
        File.WriteAllText(_directory.Combine("config.json"), """{"ClaudeCode":{"aws_region":"us-east-1"}}""");
        File.WriteAllText(_directory.Combine("managed-settings.json"), Settings);
        File.WriteAllText(_directory.Combine("cowork-3p.mobileconfig"), Mobileconfig);
        File.WriteAllText(_directory.Combine("cowork-credential-helper.sh"), CoworkHelper);
        Spec = new MacPackageSpec
        {
            PackageName = ReleaseRequest.PackageName,
            Version = "1.0.0",
            ProfileName = "okta-direct",
            Programs = [new MacProgram("credential-process", _directory.Combine("cp-x64"), _directory.Combine("cp-arm64"))],
            ConfigJsonPath = _directory.Combine("config.json"),
            SettingsPath = _directory.Combine("managed-settings.json"),
            CoworkMobileconfigPath = _directory.Combine("cowork-3p.mobileconfig"),
            CoworkCredentialHelperPath = _directory.Combine("cowork-credential-helper.sh"),
            AwsProfiles = [new AwsProfile("ClaudeCode", "us-east-1"), new AwsProfile("Other", "eu-west-1")],
            SourceDateEpoch = 1_700_000_000,
            TemplateDirectory = Repo.PathOf("installers", "macos"),
        };
    }

    public MacPackageSpec Spec { get; }

    public string Build(string? outputDirectory = null) => MacPackageBuilder.Build(Spec, outputDirectory ?? _directory.Combine("out"));

    public string Combine(params string[] parts) => _directory.Combine(parts);

    public void Dispose() => _directory.Dispose();
}
