using System.Collections.Concurrent;
using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.Infrastructure;

/// <summary>
/// A throw-away Debian root in which dpkg installs, upgrades and removes our packages for real (maintainer scripts
/// included) without touching the machine running the tests. Copied from a debootstrap minbase kept under
/// /var/cache (made once per suite and architecture, outside the repository). An arm64 root runs under
/// qemu-user-static through binfmt_misc (build/install-prerequisites.sh registers it).
/// </summary>
public sealed class DebianRoot : IDisposable
{
    private const string CacheDirectory = "/var/cache/ccwb-tests";
    private static readonly ConcurrentDictionary<string, Lazy<string>> Templates = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, string> NoVariables = [];

    private readonly TempDirectory _directory = new("ccwb-debroot");

    private DebianRoot(string suite, string architecture, string include, string templateName)
    {
        var template = Templates.GetOrAdd(templateName, name => new Lazy<string>(
            () => CreateTemplate(suite, architecture, include, name), LazyThreadSafetyMode.ExecutionAndPublication));
        Path = _directory.Combine("root");
        Run.Checked("cp", "-a", template.Value, Path);
        // debootstrap writes no /etc/hosts (an installed system has one): without it "localhost", the sign-in's
        // redirect host, does not resolve inside the root and the test browser never reaches the helper.
        if (!File.Exists(HostPath("/etc/hosts"))) File.WriteAllText(HostPath("/etc/hosts"), "127.0.0.1 localhost\n::1 localhost ip6-localhost\n");
    }

    /// <summary>Debian 12 (glibc 2.36) amd64. libssl3: the helper's HTTPS stack (a Depends); minbase leaves it out.</summary>
    public static DebianRoot Bookworm() => new("bookworm", "amd64", "libssl3", "bookworm-minbase-ssl");

    /// <summary>
    /// Debian 11 (glibc 2.31, OpenSSL 1.1), the oldest C library the Linux binaries are built for. libssl1.1 for the
    /// helper's HTTPS stack; curl for the test browser that completes a sign-in inside the root.
    /// </summary>
    public static DebianRoot Bullseye(string architecture) =>
        new("bullseye", architecture, "libssl1.1,curl", $"bullseye-{architecture}-minbase-ssl-curl");

    public string Path { get; }

    /// <summary>A path inside the root as seen from the host.</summary>
    public string HostPath(string pathInRoot) => System.IO.Path.Combine(Path, pathInRoot.TrimStart('/'));

    /// <summary>Runs a command inside the root (chroot), with a clean environment.</summary>
    public Run.Result Exec(params string[] command) =>
        Run.Tool("chroot", [Path, .. CleanEnvironment(NoVariables), .. command], timeoutSeconds: 300);

    /// <summary>Runs a command inside the root with a clean environment plus <paramref name="environment"/>.</summary>
    public Task<Run.Result> ExecAsync(IReadOnlyDictionary<string, string> environment, params string[] command) =>
        Run.ToolAsync("chroot", [Path, .. CleanEnvironment(environment), .. command], timeoutSeconds: 300);

    /// <summary>Copies a host file into /tmp of the root and returns its path there.</summary>
    public string CopyIn(string hostFile)
    {
        var inside = "/tmp/" + System.IO.Path.GetFileName(hostFile);
        File.Copy(hostFile, HostPath(inside), overwrite: true);
        return inside;
    }

    private static string[] CleanEnvironment(IReadOnlyDictionary<string, string> extra) =>
        ["/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8",
            .. extra.Select(e => $"{e.Key}={e.Value}")];

    private static string CreateTemplate(string suite, string architecture, string include, string name)
    {
        var template = System.IO.Path.Combine(CacheDirectory, name);
        if (Directory.Exists(template)) return template;
        if (architecture == "arm64" && !File.Exists("/proc/sys/fs/binfmt_misc/qemu-aarch64"))
            throw new InvalidOperationException("An arm64 root needs qemu-aarch64 registered with binfmt_misc: run build/install-prerequisites.sh.");
        Directory.CreateDirectory(CacheDirectory);
        var temp = template + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        var result = Run.Tool("debootstrap", [$"--arch={architecture}", "--variant=minbase", $"--include={include}", suite, temp, "http://deb.debian.org/debian"],
            timeoutSeconds: 1800);
        if (result.ExitCode != 0) throw new InvalidOperationException($"debootstrap {suite} {architecture} failed: " + result);
        Directory.Move(temp, template);
        return template;
    }

    public void Dispose() => _directory.Dispose();
}
