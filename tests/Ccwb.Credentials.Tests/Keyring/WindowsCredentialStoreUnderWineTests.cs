using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Credentials.Tests.Keyring;

/// <summary>
/// The Credential Manager store through Wine's advapi32 (CredReadW/CredWriteW/CredDeleteW): a small win-x64 probe
/// program is published against the real library and run under wine64. Skipped on hosts other than Linux; on Linux a missing Wine fails.
/// </summary>
[Trait(Requires.Trait, Requires.Linux)]
public sealed class WindowsCredentialStoreUnderWineTests : IClassFixture<WindowsCredentialStoreUnderWineTests.WineProbe>
{
    private readonly WineProbe _probe;

    public WindowsCredentialStoreUnderWineTests(WineProbe probe) => _probe = probe;

    [Fact]
    public void Generic_credential_round_trips_and_is_removed()
    {
        _probe.SkipUnlessAvailable();
        Assert.Equal("ok", _probe.Run("set", "round-trip", "héllo wörld"));
        Assert.Equal("héllo wörld", _probe.Run("get", "round-trip"));
        Assert.Equal("True", _probe.Run("remove", "round-trip"));
        Assert.Equal("<absent>", _probe.Run("get", "round-trip"));
        Assert.Equal("False", _probe.Run("remove", "round-trip"));
    }

    [Fact]
    public void Target_name_is_prefix_service_and_key_as_upstream_writes_it()
    {
        _probe.SkipUnlessAvailable();
        _probe.Run("set", "dev-keys", "{}");
        var registry = _probe.Wine("reg", "query", @"HKCU\Software\Wine\Credential Manager");
        Assert.Contains(@"Credential Manager\Generic: claude-code-with-bedrock:claude-code-with-bedrock:dev-keys", registry, StringComparison.Ordinal);
    }

    [Fact]
    public void Blob_of_2560_bytes_is_stored_and_2561_is_refused_with_a_clear_message_leaving_the_old_value()
    {
        _probe.SkipUnlessAvailable();
        Assert.Equal("ok", _probe.Run("set-length", "limit", "2560"));
        Assert.Equal("2560", _probe.Run("get-length", "limit"));
        var refused = _probe.Run("set-length", "limit", "2561");
        Assert.StartsWith("error: 'limit' is 2561 bytes; Windows Credential Manager stores at most 2560.", refused, StringComparison.Ordinal);
        Assert.Equal("2560", _probe.Run("get-length", "limit"));
    }

    [Fact]
    public void Keyring_cache_on_windows_splits_a_long_session_token_and_chunks_the_monitoring_token()
    {
        _probe.SkipUnlessAvailable();
        Assert.Equal("ok", _probe.Run("cache-save", "wine", "3200", "4500"));
        Assert.Equal("3200 4500", _probe.Run("cache-read", "wine"));
        Assert.Equal("1600", _probe.Run("get-length", "wine-token1"));
        Assert.Equal("1000", _probe.Run("get-length", "wine-monitoring-1"));
        Assert.Equal("500", _probe.Run("get-length", "wine-monitoring-5"));
        Assert.Equal("<absent>", _probe.Run("get", "wine-credentials"));
    }

    /// <summary>Publishes the probe once and owns a private Wine prefix.</summary>
    public sealed class WineProbe : IDisposable
    {
        private const string WineLoader = "/usr/lib/wine/wine64";
        private readonly TempDirectory _root = new("ccwb-wine-probe");
        private readonly string? _exe;
        private readonly WinePrefix? _prefix;

        public WineProbe()
        {
            if (!File.Exists(WineLoader)) return;
            try
            {
                Directory.CreateDirectory(_root.Combine("probe"));
                File.WriteAllText(_root.Combine("probe", "probe.csproj"), ProbeProject, System.Text.Encoding.UTF8);
                File.WriteAllText(_root.Combine("probe", "Program.cs"), ProbeProgram);
                // A private artifacts path keeps this win-x64 build out of the library's own bin and obj folders.
                var publish = Testing.Processes.Run.Tool("dotnet", ["publish", _root.Combine("probe", "probe.csproj"), "-c", "Release",
                    "--artifacts-path", _root.Combine("artifacts"), "-o", _root.Combine("out")], timeoutSeconds: 300);
                if (publish.ExitCode != 0) throw new InvalidOperationException("publishing the win-x64 probe failed:\n" + publish);
                _exe = _root.Combine("out", "probe.exe");
                _prefix = WinePrefix.ForDotNetPrograms();
            }
            catch
            {
                _root.Dispose(); // xunit does not dispose a fixture whose constructor failed
                throw;
            }
        }

        private static string ProbeProject => $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <InvariantGlobalization>true</InvariantGlobalization>
                <RuntimeIdentifier>win-x64</RuntimeIdentifier>
                <SelfContained>true</SelfContained>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Repo.PathOf("src", "Ccwb.Credentials", "Ccwb.Credentials.csproj")}" />
              </ItemGroup>
            </Project>
            """;

        private const string ProbeProgram = """
            using Ccwb.Credentials.Interop.Windows;
            using Ccwb.Credentials.Storage;
            using Ccwb.Credentials.Storage.Keyring;

            if (!OperatingSystem.IsWindows()) return 2;
            Console.OutputEncoding = System.Text.Encoding.UTF8;
            var store = new WindowsCredentialStore();
            try
            {
                Console.Write(args[0] switch
                {
                    "set" => Do(() => store.Set(args[1], args[2])),
                    "set-length" => Do(() => store.Set(args[1], new string('x', int.Parse(args[2])))),
                    "get" => store.Get(args[1]) ?? "<absent>",
                    "get-length" => store.Get(args[1])?.Length.ToString() ?? "<absent>",
                    "remove" => store.Remove(args[1]).ToString(),
                    "cache-save" => Do(() =>
                    {
                        var cache = KeyringCredentialCache.ForCurrentPlatform();
                        cache.SaveCredentials(args[1], new AwsCredentials("ASIAWINE", "s", new string('t', int.Parse(args[2])), DateTimeOffset.UtcNow.AddHours(1)));
                        cache.SaveMonitoringToken(args[1], new MonitoringToken(new string('m', int.Parse(args[3])), 1900000000, null, args[1]));
                    }),
                    "cache-read" => $"{KeyringCredentialCache.ForCurrentPlatform().ReadCredentials(args[1])?.SessionToken.Length} " +
                                    $"{KeyringCredentialCache.ForCurrentPlatform().ReadMonitoringToken(args[1])?.Token.Length}",
                    _ => "unknown command",
                });
                return 0;
            }
            catch (SecretStoreException e)
            {
                Console.Write("error: " + e.Message);
                return 1;
            }

            static string Do(Action action)
            {
                action();
                return "ok";
            }
            """;

        public void SkipUnlessAvailable()
        {
            // Skipped only where Wine cannot run at all; on Linux a missing wine64 is a broken machine, not a pass.
            Assert.SkipUnless(OperatingSystem.IsLinux(), "Wine runs Windows programs on Linux hosts only");
            Assert.True(_exe is not null, "wine64 is not installed (build/install-prerequisites.sh installs it)");
        }

        public string Run(params string[] arguments) => Wine([_exe!, .. arguments]);

        public string Wine(params string[] arguments)
        {
            var run = _prefix!.Exec(arguments);
            return (run.Output + (run.ExitCode == 0 ? "" : run.Error)).Trim();
        }

        public void Dispose()
        {
            _prefix?.Dispose();
            _root.Dispose();
        }
    }
}
