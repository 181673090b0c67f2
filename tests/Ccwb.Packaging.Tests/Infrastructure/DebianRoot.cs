using Ccwb.Testing;

namespace Ccwb.Packaging.Tests.Infrastructure;

/// <summary>
/// A throw-away Debian root in which dpkg installs, upgrades and removes our packages for real (maintainer scripts
/// included) without touching the machine running the tests. Copied from a debootstrap minbase kept under
/// /var/cache (made once, outside the repository).
/// </summary>
public sealed class DebianRoot : IDisposable
{
    private const string CacheDirectory = "/var/cache/ccwb-tests";
    private static readonly string Template = System.IO.Path.Combine(CacheDirectory, "bookworm-minbase-ssl");
    private static readonly Lazy<string> Cached = new(CreateTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly TempDirectory _directory = new("ccwb-debroot");

    public DebianRoot()
    {
        Path = _directory.Combine("root");
        Run.Checked("cp", "-a", Cached.Value, Path);
    }

    public string Path { get; }

    /// <summary>A path inside the root as seen from the host.</summary>
    public string HostPath(string pathInRoot) => System.IO.Path.Combine(Path, pathInRoot.TrimStart('/'));

    /// <summary>Runs a command inside the root (chroot), with a clean environment.</summary>
    public Run.Result Exec(params string[] command) =>
        Run.Tool("chroot", [Path, "/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8", .. command]);

    /// <summary>Copies a host file into /tmp of the root and returns its path there.</summary>
    public string CopyIn(string hostFile)
    {
        var inside = "/tmp/" + System.IO.Path.GetFileName(hostFile);
        File.Copy(hostFile, HostPath(inside), overwrite: true);
        return inside;
    }

    private static string CreateTemplate()
    {
        if (Directory.Exists(Template)) return Template;
        Directory.CreateDirectory(CacheDirectory);
        var temp = Template + ".tmp-" + Environment.ProcessId;
        // libssl3: the helper's HTTPS stack (a Depends of the package); minbase leaves it out.
        var result = Run.Tool("debootstrap", ["--variant=minbase", "--include=libssl3", "bookworm", temp, "http://deb.debian.org/debian"], timeoutSeconds: 900);
        if (result.ExitCode != 0) throw new InvalidOperationException("debootstrap failed: " + result);
        Directory.Move(temp, Template);
        return Template;
    }

    public void Dispose() => _directory.Dispose();
}
