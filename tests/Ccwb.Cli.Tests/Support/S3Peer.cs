using Amazon.Runtime;
using Amazon.S3;
using Ccwb.Testing.Peers;

namespace Ccwb.Cli.Tests.Support;

/// <summary>
/// s3rver from npm (tests/peers/s3-server.mjs) on 127.0.0.1 with one or more buckets in <see cref="Directory"/>.
/// Accepts the access key <see cref="AccessKey"/> only; records every request line it served.
/// </summary>
public sealed class S3Peer : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly NodePeer node;

    private S3Peer(NodePeer node, string directory)
    {
        this.node = node;
        Directory = directory;
    }

    public string Url => node.Url;
    public string Directory { get; }
    public IReadOnlyList<string> Requests => node.Requests;

    /// <param name="clockOffset">Moves the server's clock (presigned-URL expiry is judged by it).</param>
    /// <param name="partDelay">Holds back each part's response after storing it: a slow link, so an upload can be interrupted.</param>
    public static async Task<S3Peer> StartAsync(string directory, string[] buckets, TimeSpan clockOffset = default, TimeSpan partDelay = default)
    {
        var node = await NodePeer.StartAsync("s3-server.mjs", "s3rver", [directory, .. buckets], new Dictionary<string, string>
        {
            ["S3_CLOCK_OFFSET_SECONDS"] = ((long)clockOffset.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["S3_PART_DELAY_MS"] = ((long)partDelay.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return new S3Peer(node, directory);
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

    public ValueTask DisposeAsync() => node.DisposeAsync();
}
