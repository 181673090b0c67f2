using System.Text;
using System.Text.Json;
using Ccwb.Profiles;
using Ccwb.Rendering.Writers;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Rendering.Tests;

/// <summary>The .mobileconfig as macOS tooling reads it: libplist's plistutil and Python's plistlib.</summary>
public class MobileconfigTests
{
    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Plistutil_converts_it_to_binary_and_back_without_losing_anything(string profile)
    {
        using var dir = new TempDirectory();
        var source = dir.Combine("p.mobileconfig");
        File.WriteAllBytes(source, Render(profile));
        var binary = Run.Tool("plistutil", ["-i", source, "-o", dir.Combine("p.bin"), "-f", "bin"]);
        Assert.True(binary.ExitCode == 0, binary.ToString());
        var back = Run.Tool("plistutil", ["-i", dir.Combine("p.bin"), "-o", dir.Combine("p2.xml"), "-f", "xml"]);
        Assert.True(back.ExitCode == 0, back.ToString());

        // libplist's binary and re-written XML hold the same tree as our file (compared by Python's plistlib).
        const string script = """
            import plistlib, sys
            loaded = [plistlib.load(open(p, "rb")) for p in sys.argv[1:]]
            assert loaded[0] == loaded[1] == loaded[2], "plists differ"
            payload = loaded[0]["PayloadContent"][0]
            print(payload["PayloadType"], payload["inferenceProvider"], payload["inferenceBedrockProfile"])
            """;
        var compare = Run.Tool(SystemPrograms.Python3, ["-c", script, source, dir.Combine("p.bin"), dir.Combine("p2.xml")]);
        Assert.True(compare.ExitCode == 0, compare.ToString());
        Assert.Equal($"com.anthropic.claudefordesktop bedrock {profile}\n", compare.Output);
    }

    [Theory, MemberData(nameof(ExampleProfiles.All), MemberType = typeof(ExampleProfiles))]
    public void Plistlib_reads_every_key_as_a_string_equal_to_the_json_files_value(string profile)
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("p.mobileconfig"), Render(profile));
        const string script = """
            import json, plistlib, sys
            with open(sys.argv[1], "rb") as f:
                p = plistlib.load(f)
            print(json.dumps(p))
            """;
        var run = Run.Tool(SystemPrograms.Python3, ["-c", script, dir.Combine("p.mobileconfig")]);
        Assert.True(run.ExitCode == 0, run.ToString());
        using var plist = JsonDocument.Parse(run.Output);
        var root = plist.RootElement;
        var loaded = ExampleProfiles.Load(profile);

        Assert.Equal("Configuration", root.GetProperty("PayloadType").GetString());
        Assert.Equal(1, root.GetProperty("PayloadVersion").GetInt32());
        Assert.Equal($"{loaded.OrganizationIdentifier}.claude-cowork-bedrock", root.GetProperty("PayloadIdentifier").GetString());
        Assert.Equal(loaded.OrganizationName, root.GetProperty("PayloadOrganization").GetString());
        Assert.Equal(loaded.CoworkRegistryHive == "HKLM" ? "System" : "User", root.GetProperty("PayloadScope").GetString());

        var payload = root.GetProperty("PayloadContent").EnumerateArray().Single();
        using var config = JsonDocument.Parse(ExampleProfiles.Text(profile, CoworkFiles.Json));
        foreach (var key in config.RootElement.EnumerateObject())
        {
            var expected = key.Value.ValueKind switch
            {
                JsonValueKind.String => key.Value.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => key.Value.GetRawText(),
                _ => null,
            };
            var actual = payload.GetProperty(key.Name).GetString();
            if (expected is not null) Assert.Equal(expected, actual);
            else Assert.True(JsonElement.DeepEquals(key.Value, JsonDocument.Parse(actual!).RootElement), key.Name);
        }
    }

    [Fact]
    public void PayloadUUIDs_are_stable_and_differ_per_profile_organisation_and_payload_unlike_upstreams_random_ones()
    {
        var first = MobileconfigWriter.Uuid("com.example", "okta-direct", "Configuration");
        Assert.Equal(first, MobileconfigWriter.Uuid("com.example", "okta-direct", "Configuration"));
        Assert.NotEqual(first, MobileconfigWriter.Uuid("com.example", "auth0", "Configuration"));
        Assert.NotEqual(first, MobileconfigWriter.Uuid("org.example", "okta-direct", "Configuration"));
        Assert.NotEqual(first, MobileconfigWriter.Uuid("com.example", "okta-direct", MobileconfigWriter.PreferenceDomain));
        // RFC 9562 version 5, variant 10, upper case.
        Assert.Matches("^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$", first);
    }

    [Fact]
    public void Name_based_uuid_matches_the_rfc_example()
    {
        // RFC 9562 appendix A.4: UUIDv5 of "www.example.com" in the DNS namespace.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal("2ED6657D-E927-568B-95E1-2665A8AEA6A2", NameBasedUuid.Create(dns, "www.example.com"));
    }

    [Fact]
    public void Signed_profile_verifies_with_openssl_against_the_signing_chain()
    {
        using var dir = new TempDirectory();
        var (leaf, intermediate, rootCa) = TestCertificates.CreateChain();
        var options = ExampleProfiles.Options with
        {
            SigningTime = new DateTime(2026, 1, 15, 9, 30, 0, DateTimeKind.Utc),
            Signing = new MobileconfigSigning(leaf, [intermediate]),
        };
        var files = CoworkFiles.Render(ExampleProfiles.Load("okta-direct"), CoworkFormats.Mobileconfig, options, false);
        var signed = files.Single(f => f.Path == CoworkFiles.SignedMobileconfig).Content;
        File.WriteAllBytes(dir.Combine("signed.mobileconfig"), signed);
        File.WriteAllText(dir.Combine("root.pem"), rootCa.ExportCertificatePem());

        var verify = Run.Tool("openssl", ["cms", "-verify", "-inform", "DER", "-in", dir.Combine("signed.mobileconfig"),
            "-CAfile", dir.Combine("root.pem"), "-purpose", "any", "-out", dir.Combine("content.xml")]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("Verification successful", verify.Error, StringComparison.Ordinal);
        Assert.Equal(files.Single(f => f.Path == CoworkFiles.Mobileconfig).Content, File.ReadAllBytes(dir.Combine("content.xml")));

        // A different root must not verify: the check is real.
        var (_, _, otherRoot) = TestCertificates.CreateChain();
        File.WriteAllText(dir.Combine("other.pem"), otherRoot.ExportCertificatePem());
        var wrong = Run.Tool("openssl", ["cms", "-verify", "-inform", "DER", "-in", dir.Combine("signed.mobileconfig"),
            "-CAfile", dir.Combine("other.pem"), "-purpose", "any", "-out", dir.Combine("x.xml")]);
        Assert.NotEqual(0, wrong.ExitCode);

        // Same inputs, same signature bytes (RSA PKCS#1 v1.5 and a fixed signing time).
        var again = CoworkFiles.Render(ExampleProfiles.Load("okta-direct"), CoworkFormats.Mobileconfig, options, false);
        Assert.Equal(signed, again.Single(f => f.Path == CoworkFiles.SignedMobileconfig).Content);
    }

    [Theory]
    [InlineData("hklm", "System", "HKEY_LOCAL_MACHINE")]
    [InlineData("hkcu", "User", "HKEY_CURRENT_USER")]
    public void Payload_scope_follows_the_same_hive_rule_as_the_reg_file(string hive, string scope, string root)
    {
        var profile = ExampleProfiles.Load("okta-direct") with { CoworkRegistryHive = hive };
        var files = CoworkFiles.Render(profile, CoworkFormats.Mobileconfig | CoworkFormats.Reg, ExampleProfiles.Options, false);
        var plist = Encoding.UTF8.GetString(files.Single(f => f.Path == CoworkFiles.Mobileconfig).Content);
        var reg = Encoding.UTF8.GetString(files.Single(f => f.Path == CoworkFiles.Reg).Content);

        Assert.Contains($"<key>PayloadScope</key>\n\t<string>{scope}</string>", plist, StringComparison.Ordinal);
        Assert.Contains($"[{root}\\{WindowsPolicyWriter.PolicyKey}]", reg, StringComparison.Ordinal);
    }

    [Fact]
    public void Plist_header_and_tab_indentation_follow_apples_format()
    {
        var text = Encoding.UTF8.GetString(Render("okta-direct"));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" " +
                          "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n\t<key>", text);
        Assert.EndsWith("</plist>\n", text);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
    }

    private static byte[] Render(string profile) =>
        ExampleProfiles.Render(profile).Single(f => f.Path == CoworkFiles.Mobileconfig).Content;
}
