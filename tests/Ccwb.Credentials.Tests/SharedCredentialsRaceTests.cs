using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Processes;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// <c>~/.aws/credentials</c> written at once by credential-process for two profiles and by the real
/// <c>aws configure set</c>, which takes no lock and rewrites the file in place.
/// </summary>
[Trait(Requires.Trait, Requires.Linux)]
public class SharedCredentialsRaceTests
{
    private const int CliWrites = 6;

    [Fact]
    public async Task Helpers_for_two_profiles_and_aws_configure_set_at_once_lose_no_value_the_cli_set()
    {
        await using var oidc = await OidcPeer.StartAsync();
        using var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        using var box = new Sandbox();
        // A port each: calls on one port take turns on its sign-in lock, and the two profiles' writes must really overlap.
        box.Environment.Remove("REDIRECT_PORT");
        var a = box.Profile(oidc, aws);
        a["redirect_port"] = box.Port;
        var b = box.Profile(oidc, aws);
        b["redirect_port"] = AwsPeer.FreePort();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["A"] = a, ["B"] = b } });
        // One section per CLI write, present from the start: `aws configure set` then takes its in-place path
        // (truncate and rewrite the whole file), and every value it sets stays the last one set for its key.
        box.WriteFile(".aws/credentials", string.Concat(Enumerable.Range(0, CliWrites).Select(i => $"[cli-{i}]\nregion = us-east-1\n")));
        foreach (var profile in new[] { "A", "B" }) Assert.Equal(0, (await box.RunAsync("--profile", profile)).ExitCode);

        // Each helper round writes the file twice: --clear-cache removes the profile's section, and the next call
        // federates the cached id token again (no browser) and writes the section back.
        using var cliDone = new CancellationTokenSource();
        async Task<int> HelperLoopAsync(string profile)
        {
            var rounds = 0;
            while (!cliDone.IsCancellationRequested || rounds < 3)
            {
                var cleared = await box.RunAsync("--profile", profile, "--clear-cache");
                Assert.True(cleared.ExitCode == 0, cleared.ToString());
                var minted = await box.RunAsync("--profile", profile);
                Assert.True(minted.ExitCode == 0, minted.ToString());
                rounds++;
            }
            return rounds;
        }
        async Task CliLoopAsync()
        {
            try
            {
                for (var i = 0; i < CliWrites; i++)
                {
                    var set = await box.RunAsync(SystemPrograms.AwsCli, ["configure", "set", "aws_access_key_id", CliValue(i), "--profile", $"cli-{i}"]);
                    Assert.True(set.ExitCode == 0, set.ToString());
                }
            }
            finally
            {
                await cliDone.CancelAsync();
            }
        }
        var helpers = new[] { HelperLoopAsync("A"), HelperLoopAsync("B") };
        await Task.WhenAll([CliLoopAsync(), .. helpers]);

        // The helper never renames a merge over a change it did not see: every value the CLI set is there.
        var file = new SharedCredentialsFile(box.HomePath(".aws", "credentials"));
        var text = File.ReadAllText(file.Path);
        for (var i = 0; i < CliWrites; i++) Assert.Contains($"[cli-{i}]\nregion = us-east-1\naws_access_key_id = {CliValue(i)}\n", text, StringComparison.Ordinal);
        // The CLI may put back a copy it read before a helper's write (its own unlocked window): that costs the helper
        // a cache entry, which its next call mints again. So after one more call each, both sections are valid.
        foreach (var profile in new[] { "A", "B" })
        {
            var printed = JsonDocument.Parse((await box.RunAsync("--profile", profile)).Output).RootElement;
            var cached = file.Read(profile);
            Assert.NotNull(cached);
            Assert.Equal(printed.GetProperty("AccessKeyId").GetString(), cached.AccessKeyId);
            Assert.Equal(aws.Issued(cached.AccessKeyId), (cached.SecretAccessKey, cached.SessionToken));
            Assert.True(cached.Expiration > DateTimeOffset.UtcNow.AddMinutes(5));
        }
        Assert.Equal(2, oidc.Authorizations);
        Assert.All(await Task.WhenAll(helpers), rounds => Assert.InRange(rounds, 3, int.MaxValue));
        Assert.DoesNotContain(Directory.GetFiles(box.HomePath(".aws")), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    private static string CliValue(int i) => "AKIACLI" + i.ToString("D13", CultureInfo.InvariantCulture);
}
