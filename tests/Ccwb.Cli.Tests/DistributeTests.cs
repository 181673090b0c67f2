using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Ccwb.Cli.Tests.Support;
using Ccwb.Testing;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Processes;

namespace Ccwb.Cli.Tests;

/// <summary><c>ccwb distribute</c> against s3rver on 127.0.0.1: what lands in the bucket, what the URL downloads, what is refused.</summary>
public sealed partial class DistributeTests : IAsyncLifetime
{
    private const string Bucket = "ccwb-dist";
    private static readonly string Profile = Repo.PathOf("profiles", "examples", "okta-direct.json");
    private readonly TempDirectory temp = new();
    private S3Peer peer = null!;

    private string Home => temp.Combine("home");
    private string PackagePath => temp.Combine("package");
    private string RecordPath => Path.Combine(Home, ".ccwb", "distributions", "okta-direct.json");

    private static readonly Dictionary<string, string?> Credentials = new()
    {
        ["AWS_ACCESS_KEY_ID"] = S3Peer.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = S3Peer.SecretKey,
    };

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Home);
        peer = await S3Peer.StartAsync(temp.Combine("s3"), [Bucket]);
    }

    public async ValueTask DisposeAsync()
    {
        await peer.DisposeAsync();
        temp.Dispose();
    }

    private Run.Result Distribute(IReadOnlyDictionary<string, string?>? aws, params string[] extra) =>
        Ccwb.Run(Home, aws ?? Credentials, ["distribute", "--profile-file", Profile, "--bucket", Bucket, "--endpoint-url", peer.Url,
            "--package-path", PackagePath, "--part-size-mb", "5", .. extra]);

    private static IReadOnlyList<(string File, string Sha256, Uri Url)> Published(string output) =>
        [.. PublishedFile().Matches(output).Select(m => (m.Groups[1].Value, m.Groups[2].Value, new Uri(m.Groups[3].Value)))];

    [GeneratedRegex(@"^File: +(\S+) .*\n^SHA256: +([0-9a-f]{64})\n^URL: +(\S+)$", RegexOptions.Multiline)]
    private static partial Regex PublishedFile();

    [Fact]
    public async Task Multipart_upload_lands_with_its_checksum_in_the_metadata_and_the_presigned_url_downloads_the_exact_bytes()
    {
        PackageFolder.Create(PackagePath, binarySize: 12 * 1024 * 1024); // random bytes: the zip stays above two 5 MiB parts
        var result = Distribute(null, "--expires-hours", "1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);

        var published = Assert.Single(Published(result.Output));
        Assert.Matches(@"^claude-code-package-\d{8}-\d{6}\.zip$", published.File);
        // Parts went up as a multipart upload; output is plain lines when not at a terminal, and no QR code.
        Assert.Contains(peer.Requests, r => r.StartsWith("POST", StringComparison.Ordinal) && r.Contains("?uploads", StringComparison.Ordinal));
        Assert.True(peer.Requests.Count(r => r.Contains("partNumber=", StringComparison.Ordinal)) >= 3);
        Assert.Matches(@"of \d+\.\d MB uploaded \(\d+%\)", result.Output);
        Assert.DoesNotContain("━", result.Output, StringComparison.Ordinal); // no progress bar
        Assert.DoesNotContain("QR code", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("█", result.Output, StringComparison.Ordinal);

        using var s3 = peer.Client();
        var key = $"packages/{published.File["claude-code-package-".Length..^4]}/{published.File}";
        var head = await s3.GetObjectMetadataAsync(Bucket, key, TestContext.Current.CancellationToken);
        Assert.Equal(published.Sha256, head.Metadata["checksum"]);
        Assert.Equal("okta-direct", head.Metadata["profile"]);

        var download = temp.Combine("download.zip");
        var curl = Run.Tool("curl", ["-fsS", "-o", download, published.Url.AbsoluteUri]);
        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal(published.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(download))));

        // What users get: the binaries and profile files under claude-code-package/, not the admin's templates.
        using var zip = ZipFile.OpenRead(download);
        Assert.Equal(["claude-code-package/binaries/linux-x64/credential-process", "claude-code-package/binaries/win-x64/credential-process.exe",
            "claude-code-package/package/config.json"], zip.Entries.Select(e => e.FullName));
        Assert.Equal(0x1ED, (zip.Entries[0].ExternalAttributes >> 16) & 0x1FF); // 0755: unlike upstream's zips, the helper stays executable

        // The signature is valid for the credentials that made it, and the expiry is the requested hour.
        var verified = SigV4Query.Verify(published.Url, "GET", "s3", Issued, DateTimeOffset.UtcNow);
        Assert.True(verified.Valid, verified.Reason);
        Assert.Equal("3600", verified.Parameters["X-Amz-Expires"]);
        Assert.Contains("Expires: ", result.Output, StringComparison.Ordinal);

        // The latest distribution is recorded, privately.
        Assert.True(File.Exists(RecordPath));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(RecordPath));
    }

    [Fact]
    public async Task At_a_terminal_the_upload_shows_a_progress_bar_and_the_url_is_drawn_as_a_qr_code()
    {
        PackageFolder.Create(PackagePath, binarySize: 12 * 1024 * 1024);
        string screen;
        using (var terminal = TmuxTerminal.StartCcwb(Home, Credentials, "distribute", "--profile-file", Profile, "--bucket", Bucket,
                   "--endpoint-url", peer.Url, "--package-path", PackagePath, "--part-size-mb", "5"))
        {
            var exitCode = terminal.WaitForExit();
            screen = terminal.Screen;
            Assert.True(exitCode == 0, screen);
        }

        var published = Assert.Single(Published(screen));
        // The bar, redrawn in place, ends full: the file's name, the bar and 100% on one line; no plain progress lines.
        Assert.Matches($@"(?m)^ *{Regex.Escape(published.File)} +━{{10,}} +100%", screen);
        Assert.DoesNotContain("uploaded (", screen, StringComparison.Ordinal);

        // The QR code of the first file's URL: a square of half-block characters under its heading, every row the same width.
        var heading = $"QR code for {published.File}:\n";
        Assert.Contains(heading, screen, StringComparison.Ordinal);
        var qr = screen[(screen.IndexOf(heading, StringComparison.Ordinal) + heading.Length)..].Split('\n')
            .TakeWhile(row => !row.StartsWith("[ccwb exited", StringComparison.Ordinal)).Select(row => row.TrimEnd()).ToList();
        while (qr.Count > 0 && qr[^1].Length == 0) qr.RemoveAt(qr.Count - 1);
        Assert.True(qr.Count > 10, screen);
        Assert.All(qr, row => Assert.Equal(qr[0].Length, row.Length));
        Assert.All(qr, row => Assert.Matches("^[ █▀▄]+$", row));

        // The upload landed with its checksum, and the URL downloads it.
        using var s3 = peer.Client();
        var key = $"packages/{published.File["claude-code-package-".Length..^4]}/{published.File}";
        var head = await s3.GetObjectMetadataAsync(Bucket, key, TestContext.Current.CancellationToken);
        Assert.Equal(published.Sha256, head.Metadata["checksum"]);
        var download = temp.Combine("download.zip");
        Assert.Equal(0, Run.Tool("curl", ["-fsS", "-o", download, published.Url.AbsoluteUri]).ExitCode);
        Assert.Equal(published.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(download))));
        Assert.True(File.Exists(RecordPath));
    }

    [Fact]
    public void Same_package_gives_a_byte_identical_zip()
    {
        PackageFolder.Create(PackagePath, binarySize: 4096);
        var first = Assert.Single(Published(Distribute(null).Output));
        Thread.Sleep(1100); // a new timestamp, so a new key
        var second = Assert.Single(Published(Distribute(null).Output));
        Assert.NotEqual(first.File, second.File);
        Assert.Equal(first.Sha256, second.Sha256);
    }

    [Fact]
    public void Per_os_uploads_one_zip_per_platform_each_holding_only_its_platforms_binaries()
    {
        PackageFolder.Create(PackagePath, binarySize: 4096);
        var result = Distribute(null, "--per-os");
        Assert.True(result.ExitCode == 0, result.ToString());
        var files = Published(result.Output);
        Assert.Equal(["claude-code-package", "claude-code-linux", "claude-code-windows"], files.Select(f => f.File[..f.File.IndexOf("-2", StringComparison.Ordinal)]));
        foreach (var (file, sha256, url) in files)
        {
            var download = temp.Combine(file);
            Assert.Equal(0, Run.Tool("curl", ["-fsS", "-o", download, url.AbsoluteUri]).ExitCode);
            Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(download))));
            using var zip = ZipFile.OpenRead(download);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("claude-code-package/package/config.json", names);
            if (file.StartsWith("claude-code-linux", StringComparison.Ordinal)) Assert.DoesNotContain(names, n => n.Contains("win-x64", StringComparison.Ordinal));
            if (file.StartsWith("claude-code-windows", StringComparison.Ordinal)) Assert.DoesNotContain(names, n => n.Contains("linux-x64", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void An_altered_url_fails_the_signature_check_that_s3rver_does_not_make()
    {
        PackageFolder.Create(PackagePath, binarySize: 4096);
        var published = Assert.Single(Published(Distribute(null).Output));
        Assert.True(SigV4Query.Verify(published.Url, "GET", "s3", Issued, DateTimeOffset.UtcNow).Valid);

        var longer = new Uri(Regex.Replace(published.Url.AbsoluteUri, "X-Amz-Expires=[0-9]+", "X-Amz-Expires=604800"));
        Assert.NotEqual(published.Url, longer);
        var otherKey = new Uri(published.Url.AbsoluteUri.Replace(".zip?", ".ZIP?", StringComparison.Ordinal));
        Assert.Equal("SignatureDoesNotMatch", SigV4Query.Verify(longer, "GET", "s3", Issued, DateTimeOffset.UtcNow).Reason);
        Assert.Equal("SignatureDoesNotMatch", SigV4Query.Verify(otherKey, "GET", "s3", Issued, DateTimeOffset.UtcNow).Reason);
    }

    [Fact]
    public async Task An_expired_url_is_refused_by_s3rver_and_get_latest_says_it_expired()
    {
        PackageFolder.Create(PackagePath, binarySize: 4096);
        var published = Assert.Single(Published(Distribute(null, "--expires-hours", "1").Output));

        // While valid, --get-latest prints the same URL again without uploading.
        var requestsBefore = peer.Requests.Count;
        var latest = Distribute(null, "--get-latest");
        Assert.True(latest.ExitCode == 0, latest.ToString());
        Assert.Equal(published.Url, Assert.Single(Published(latest.Output)).Url);
        Assert.Equal(requestsBefore, peer.Requests.Count);

        // Two hours later, by the clock of a second s3rver serving the same data.
        await using (var later = await S3Peer.StartAsync(peer.Directory, [Bucket], clockOffset: TimeSpan.FromHours(2)))
        {
            var url = published.Url.AbsoluteUri.Replace(peer.Url, later.Url, StringComparison.Ordinal);
            var curl = Run.Tool("curl", ["-sS", "-o", "-", "-w", "\n%{http_code}", url]);
            Assert.EndsWith("\n403", curl.Output, StringComparison.Ordinal);
            Assert.Contains("Request has expired", curl.Output, StringComparison.Ordinal);
        }

        var expired = Run.Tool("faketime", ["-f", "+2h", "dotnet", Ccwb.AssemblyPath, "distribute", "--profile-file", Profile, "--get-latest"],
            Home, Ccwb.Environment(Home, Credentials));
        Assert.Equal(1, expired.ExitCode);
        Assert.Matches(@"^error: distribution: the latest distribution URL expired at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; run 'ccwb distribute' for a new one\n$", expired.Error);
        Assert.Equal("", expired.Output);
    }

    [Fact]
    public void Get_latest_without_a_distribution_says_none_is_recorded()
    {
        var result = Distribute(null, "--get-latest");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: distribution: no distribution is recorded for profile 'okta-direct'; run 'ccwb distribute'\n", result.Error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("169")]
    public void Expiry_outside_1_to_168_hours_is_refused_before_anything_is_uploaded(string hours)
    {
        PackageFolder.Create(PackagePath, binarySize: 4096);
        var result = Distribute(null, "--expires-hours", hours);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --expires-hours: {hours} is out of range: a URL can be valid for 1 to 168 hours (7 days)\n", result.Error);
        AssertNothingLeft();
    }

    [Fact]
    public void Missing_bucket_is_named_and_nothing_is_recorded()
    {
        PackageFolder.Create(PackagePath, binarySize: 4096);
        var result = Ccwb.Run(Home, Credentials, "distribute", "--profile-file", Profile, "--bucket", "no-such-bucket", "--endpoint-url", peer.Url,
            "--package-path", PackagePath);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: --bucket: bucket 'no-such-bucket' does not exist in us-east-1; deploy the distribution stack (ccwb deploy distribution) or pass --bucket\n", result.Error);
        AssertNothingLeft();
    }

    [Fact]
    public void Denied_upload_names_the_permissions_needed_and_leaves_nothing()
    {
        PackageFolder.Create(PackagePath, binarySize: 12 * 1024 * 1024);
        var result = Distribute(new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "AKIAUNKNOWNKEY000000", ["AWS_SECRET_ACCESS_KEY"] = "x" });
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: credentials: S3 refused the upload to '{Bucket}' (InvalidAccessKeyId): use credentials allowed s3:PutObject and s3:GetObject on the bucket\n", result.Error);
        AssertNothingLeft();
    }

    [Fact]
    public void Expired_credentials_are_named_as_such_and_leave_nothing()
    {
        PackageFolder.Create(PackagePath, binarySize: 4096);
        var aws = new Dictionary<string, string?>(Credentials)
        {
            ["AWS_SESSION_TOKEN"] = $"expires-{DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds()}",
        };
        var result = Distribute(aws);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: credentials: the AWS credentials have expired; sign in again (aws sso login, or refresh the profile) and run distribute again\n", result.Error);
        AssertNothingLeft();
    }

    [Fact]
    public void Unreadable_zip_is_refused_before_any_request_is_made()
    {
        var zip = temp.Combine("broken.zip");
        File.WriteAllBytes(zip, [.. "PK\u0003\u0004 not really a zip"u8.ToArray()]);
        var result = Distribute(null, "--zip", zip);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: --zip: {zip} is not a readable zip: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain(peer.Requests, r => r.StartsWith("PUT", StringComparison.Ordinal) || r.StartsWith("POST", StringComparison.Ordinal));
        AssertNothingLeft();
    }

    [Fact]
    public void Readable_zip_given_with_zip_is_uploaded_as_it_is()
    {
        var zip = temp.Combine("handmade.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(archive.CreateEntry("README.md").Open()))
            writer.Write("hello");
        var result = Distribute(null, "--zip", zip, "--show-qr");
        Assert.True(result.ExitCode == 0, result.ToString());
        var published = Assert.Single(Published(result.Output));
        Assert.StartsWith("handmade-", published.File, StringComparison.Ordinal);
        // --show-qr prints the code even off a terminal: a square of half-block characters, every row the same width.
        var qr = result.Output[(result.Output.IndexOf($"QR code for {published.File}:\n", StringComparison.Ordinal) + $"QR code for {published.File}:\n".Length)..]
            .TrimEnd('\n').Split('\n');
        Assert.True(qr.Length > 10, result.Output);
        Assert.All(qr, row => Assert.Equal(qr[0].Length, row.Length));
        Assert.All(qr, row => Assert.Matches("^[ █▀▄]+$", row));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(zip))), published.Sha256);
    }

    [Fact]
    public void Missing_package_manifest_points_at_Package()
    {
        var result = Distribute(null);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: --package-path: {Path.Combine(PackagePath, "manifest.json")} not found; run ./build.sh Package first (or pass --zip)\n", result.Error);
        AssertNothingLeft();
    }

    [Fact]
    public void Unknown_profile_is_named_and_nothing_is_uploaded()
    {
        PackageFolder.Create(PackagePath, binarySize: 4096);
        var result = Ccwb.Run(Home, Credentials, "distribute", "--profile", "nosuch", "--bucket", Bucket, "--endpoint-url", peer.Url, "--package-path", PackagePath);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: profile: 'nosuch' not found in ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        AssertNothingLeft();
    }

    [Fact]
    public async Task Interrupted_multipart_upload_is_aborted_and_leaves_no_parts_in_the_bucket()
    {
        await peer.DisposeAsync();
        peer = await S3Peer.StartAsync(temp.Combine("s3-slow"), [Bucket], partDelay: TimeSpan.FromSeconds(15));
        PackageFolder.Create(PackagePath, binarySize: 24 * 1024 * 1024);

        // A shell starts ccwb, waits until four parts are stored (their responses are held back) and sends SIGTERM, as
        // Ctrl+C's SIGINT would: ccwb must cancel the parts in flight and abort the multipart upload.
        var script = """
            "$@" > "$CCWB_OUT" 2> "$CCWB_ERR" &
            pid=$!
            for _ in $(seq 600); do
              [ "$(find "$PARTS" -path '*uploads*' -type f -name '[0-9].md5' 2>/dev/null | wc -l)" -ge 4 ] && break
              kill -0 "$pid" 2>/dev/null || break
              sleep 0.1
            done
            kill -TERM "$pid"
            wait "$pid"
            """;
        var environment = Ccwb.Environment(Home, Credentials);
        environment["CCWB_OUT"] = temp.Combine("out.txt");
        environment["CCWB_ERR"] = temp.Combine("err.txt");
        environment["PARTS"] = Path.Combine(peer.Directory, Bucket);
        var run = await Run.ToolAsync("bash", ["-c", script, "bash", "dotnet", Ccwb.AssemblyPath, "distribute", "--profile-file", Profile, "--bucket", Bucket,
            "--endpoint-url", peer.Url, "--package-path", PackagePath, "--part-size-mb", "5"], Home, environment, timeoutSeconds: 120,
            cancellationToken: TestContext.Current.CancellationToken);
        var output = File.ReadAllText(temp.Combine("out.txt"));
        var error = File.ReadAllText(temp.Combine("err.txt"));

        Assert.True(run.ExitCode == 1, $"{run}\n{output}\n{error}");
        Assert.Equal("error: upload: interrupted; the incomplete upload was removed from the bucket and no URL was recorded\n", error);
        Assert.DoesNotContain("URL:", output, StringComparison.Ordinal);
        Assert.Contains(peer.Requests, r => r.StartsWith("DELETE", StringComparison.Ordinal) && r.Contains("uploadId=", StringComparison.Ordinal));
        AssertNothingLeft();
    }

    /// <summary>No object, no stored part, no recorded distribution.</summary>
    private void AssertNothingLeft()
    {
        Assert.Empty(peer.StoredFiles(Bucket));
        Assert.False(File.Exists(RecordPath));
    }

    private static (string, string)? Issued(string accessKey) => accessKey == S3Peer.AccessKey ? (S3Peer.SecretKey, "") : null;
}
