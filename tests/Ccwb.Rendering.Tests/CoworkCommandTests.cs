using System.Security.Cryptography.X509Certificates;
using Ccwb.Profiles;
using Ccwb.Rendering.Cowork;
using Ccwb.Testing.Processes;
using Ccwb.Testing;

namespace Ccwb.Rendering.Tests;

/// <summary><c>ccwb cowork generate</c> run as a process, as administrators run it.</summary>
public class CoworkCommandTests
{
    [Fact]
    public void Generate_all_writes_the_six_files_upstream_writes_without_beta_keys_or_wrappers()
    {
        using var dir = new TempDirectory();
        var run = Ccwb(dir, "cowork", "generate", "--profile-file", ExampleProfiles.PathOf("websearch-everything"), "-o", dir.Combine("out"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var written = Directory.GetFiles(dir.Combine("out"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir.Combine("out"), f)).Order(StringComparer.Ordinal);
        Assert.Equal([CoworkFiles.Admx, CoworkFiles.Ps1, CoworkFiles.Json, CoworkFiles.Mobileconfig, CoworkFiles.Reg, CoworkFiles.Adml], written);

        var profile = ExampleProfiles.Load("websearch-everything");
        var expected = CoworkFiles.Render(profile, CoworkFormats.All,
            RenderOptions.ForCoworkOnly(new CoworkOptions(CoworkOptions.DefaultModels, IncludeBetaKeys: false)), false);
        foreach (var file in expected) Assert.Equal(file.Content, File.ReadAllBytes(dir.Combine("out", file.Path)));
        Assert.DoesNotContain("chatTabEnabled", File.ReadAllText(dir.Combine("out", CoworkFiles.Json)), StringComparison.Ordinal);
    }

    [Fact]
    public void Format_and_models_select_one_file_and_the_picker_list()
    {
        using var dir = new TempDirectory();
        var run = Ccwb(dir, "cowork", "generate", "--profile-file", ExampleProfiles.PathOf("okta-direct"), "-o", dir.Combine("out"),
            "--format", "reg", "--models", " opus , us.anthropic.claude-sonnet-4-6 ");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal([CoworkFiles.Reg], Directory.GetFiles(dir.Combine("out")).Select(Path.GetFileName));
        Assert.Contains("\"inferenceModels\"=\"[\\\"opus\\\", {\\\"name\\\": \\\"us.anthropic.claude-sonnet-4-6\\\"",
            File.ReadAllText(dir.Combine("out", CoworkFiles.Reg)), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_format_is_refused_with_the_valid_ones()
    {
        using var dir = new TempDirectory();
        var run = Ccwb(dir, "cowork", "generate", "--profile-file", ExampleProfiles.PathOf("okta-direct"), "-o", dir.Combine("out"), "-f", "plist");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Invalid format 'plist'. Must be one of: all, json, mobileconfig, reg, admx, ps1", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Fact]
    public void Missing_organisation_names_the_field_exits_1_and_leaves_no_output_folder()
    {
        using var dir = new TempDirectory();
        var json = File.ReadAllText(ExampleProfiles.PathOf("okta-direct")).Replace("\"organization_identifier\": \"com.example\"", "\"organization_identifier\": null", StringComparison.Ordinal);
        File.WriteAllText(dir.Combine("p.json"), json);
        var run = Ccwb(dir, "cowork", "generate", "--profile-file", dir.Combine("p.json"), "-o", dir.Combine("out"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: organization_identifier: is required: the .mobileconfig needs a reverse-DNS identifier; " +
                        "add \"organization_identifier\": \"com.examplecorp\" to the profile\n", run.Error, StringComparison.Ordinal);
        AssertFindingLines(run.Error, "Nothing was written.");
        Assert.Equal(["p.json"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("reg")]
    [InlineData("admx")]
    [InlineData("ps1")]
    public void Formats_without_the_mobileconfig_do_not_ask_for_the_organisation(string format)
    {
        using var dir = new TempDirectory();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(ExampleProfiles.PathOf("okta-direct")))!.AsObject();
        json.Remove("organization_identifier");
        json.Remove("organization_name");
        File.WriteAllText(dir.Combine("p.json"), json.ToJsonString());
        var run = Ccwb(dir, "cowork", "generate", "--profile-file", dir.Combine("p.json"), "-o", dir.Combine("out"), "-f", format);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("organization_", run.Error, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(dir.Combine("out"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Generate_shows_the_profiles_warnings_on_stderr_and_still_writes_the_files()
    {
        using var dir = new TempDirectory();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(ExampleProfiles.PathOf("okta-direct")))!.AsObject();
        json["data_retention_days"] = 400;
        File.WriteAllText(dir.Combine("p.json"), json.ToJsonString());
        var run = Ccwb(dir, "cowork", "generate", "--profile-file", dir.Combine("p.json"), "-o", dir.Combine("out"), "-f", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("warning: data_retention_days: 400 days is more than a year of analytics data\n", run.Error, StringComparison.Ordinal);
        AssertFindingLines(run.Error);
        Assert.True(File.Exists(dir.Combine("out", CoworkFiles.Json)));
    }

    /// <summary>Every stderr line is a finding in the one format (apart from the given trailing lines).</summary>
    private static void AssertFindingLines(string stderr, params string[] others) =>
        Assert.All(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !others.Contains(l)),
            line => Assert.Matches(@"^(error|warning): [^:\s][^:]*: \S", line));

    [Fact]
    public void Stored_profile_is_found_by_name_under_the_users_home()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("home", ".ccwb", "profiles"));
        File.Copy(ExampleProfiles.PathOf("google"), dir.Combine("home", ".ccwb", "profiles", "google.json"));
        var run = Ccwb(dir, "cowork", "generate", "--profile", "google", "-o", dir.Combine("out"), "-f", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\"inferenceBedrockProfile\": \"google\"", File.ReadAllText(dir.Combine("out", CoworkFiles.Json)), StringComparison.Ordinal);
    }

    [Fact]
    public void Signing_certificate_from_a_password_protected_pkcs12_gives_a_profile_openssl_verifies()
    {
        using var dir = new TempDirectory();
        var (leaf, intermediate, root) = TestCertificates.CreateChain();
        var bundle = new X509Certificate2Collection { leaf, intermediate };
        File.WriteAllBytes(dir.Combine("signer.p12"), bundle.Export(X509ContentType.Pkcs12, "pa55 word")!);
        File.WriteAllText(dir.Combine("root.pem"), root.ExportCertificatePem());

        var run = Ccwb(dir, new Dictionary<string, string?> { ["PROFILE_SIGNING_PASSWORD"] = "pa55 word" },
            "cowork", "generate", "--profile-file", ExampleProfiles.PathOf("okta-direct"), "-o", dir.Combine("out"), "-f", "mobileconfig",
            "--signing-certificate", dir.Combine("signer.p12"), "--signing-password-env", "PROFILE_SIGNING_PASSWORD");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("pa55", run.Output + run.Error, StringComparison.Ordinal);
        var verify = Run.Tool("openssl", ["cms", "-verify", "-inform", "DER", "-in", dir.Combine("out", CoworkFiles.SignedMobileconfig),
            "-CAfile", dir.Combine("root.pem"), "-purpose", "any", "-out", dir.Combine("content.xml")]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal(File.ReadAllBytes(dir.Combine("out", CoworkFiles.Mobileconfig)), File.ReadAllBytes(dir.Combine("content.xml")));
    }

    [Fact]
    public void Wrong_signing_password_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        var (leaf, intermediate, _) = TestCertificates.CreateChain();
        File.WriteAllBytes(dir.Combine("signer.p12"), new X509Certificate2Collection { leaf, intermediate }.Export(X509ContentType.Pkcs12, "right")!);
        var run = Ccwb(dir, new Dictionary<string, string?> { ["PW"] = "wrong" }, "cowork", "generate", "--profile-file",
            ExampleProfiles.PathOf("okta-direct"), "-o", dir.Combine("out"), "--signing-certificate", dir.Combine("signer.p12"),
            "--signing-password-env", "PW");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: --signing-certificate: cannot use the signing certificate", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    private static Run.Result Ccwb(TempDirectory dir, params string[] arguments) => Ccwb(dir, null, arguments);

    private static Run.Result Ccwb(TempDirectory dir, Dictionary<string, string?>? environment, params string[] arguments)
    {
        var env = new Dictionary<string, string?>(environment ?? []) { ["HOME"] = dir.Combine("home") };
        return Run.Tool("dotnet", [Path.Combine(AppContext.BaseDirectory, "ccwb.dll"), .. arguments], dir.Path, env);
    }
}
