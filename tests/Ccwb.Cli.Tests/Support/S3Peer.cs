using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Ccwb.Testing;

namespace Ccwb.Cli.Tests.Support;

/// <summary>
/// s3rver from npm (tests/peers/s3-server.mjs) on 127.0.0.1 with one or more buckets in <see cref="Directory"/>.
/// Accepts the access key <see cref="AccessKey"/> only; records every request line it served.
/// </summary>
public sealed class S3Peer : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Process process;
    private readonly ConcurrentQueue<string> requests = new();

    private S3Peer(Process process, string directory)
    {
        this.process = process;
        Directory = directory;
    }

    public string Url { get; private set; } = "";
    public string Directory { get; }
    public IReadOnlyList<string> Requests => [.. requests];

    /// <param name="clockOffset">Moves the server's clock (presigned-URL expiry is judged by it).</param>
    /// <param name="partDelay">Holds back each part's response after storing it: a slow link, so an upload can be interrupted.</param>
    public static async Task<S3Peer> StartAsync(string directory, string[] buckets, TimeSpan clockOffset = default, TimeSpan partDelay = default)
    {
        if (!System.IO.Directory.Exists(Repo.PathOf("tests", "peers", "node_modules", "s3rver")))
            throw new InvalidOperationException("npm peers missing: run `npm ci` in tests/peers (build/install-prerequisites.sh does it).");
        var start = new ProcessStartInfo("node", [Repo.PathOf("tests", "peers", "s3-server.mjs"), directory, .. buckets])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Repo.PathOf("tests", "peers"),
        };
        start.Environment["S3_CLOCK_OFFSET_SECONDS"] = ((long)clockOffset.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["S3_PART_DELAY_MS"] = ((long)partDelay.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var peer = new S3Peer(Process.Start(start)!, directory);
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new ConcurrentQueue<string>();
        peer.process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith("READY ", StringComparison.Ordinal)) ready.TrySetResult(e.Data[6..]);
            else if (e.Data.StartsWith("REQUEST ", StringComparison.Ordinal)) peer.requests.Enqueue(e.Data[8..]);
        };
        peer.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) errors.Enqueue(e.Data); };
        peer.process.BeginOutputReadLine();
        peer.process.BeginErrorReadLine();
        if (await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(30))) != ready.Task)
        {
            await peer.DisposeAsync();
            throw new InvalidOperationException("s3rver did not start: " + string.Join('\n', errors));
        }
        peer.Url = await ready.Task;
        return peer;
    }

    /// <summary>A client of the tests' own, to look at what ccwb left in the bucket.</summary>
    public AmazonS3Client Client() => new(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
    {
        // AuthenticationRegion, not RegionEndpoint: setting a region endpoint replaces the service URL.
        ServiceURL = Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>Every file s3rver stores for a bucket (objects, metadata, multipart parts): empty means nothing was left.</summary>
    public IReadOnlyList<string> StoredFiles(string bucket)
    {
        var root = Path.Combine(Directory, bucket);
        return System.IO.Directory.Exists(root)
            ? [.. System.IO.Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)]
            : [];
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
