using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Ccwb.Cli.Distribution;

/// <summary>Where and how distribute talks to S3.</summary>
internal sealed record S3Target(string Bucket, string Region, string? EndpointUrl, int PartSizeBytes);

/// <summary>
/// Uploads one file to S3 with its metadata and signs a download URL for it. Files larger than one part go up as a
/// multipart upload, four parts at a time. The multipart calls are made here rather than through TransferUtility so
/// that every failure or interruption ends in AbortMultipartUpload for the one upload id we started: no orphaned
/// parts stay behind in the bucket.
/// </summary>
internal sealed class S3Upload : IDisposable
{
    private const int Concurrency = 4;
    private readonly AmazonS3Client client;
    private readonly S3Target target;

    public S3Upload(S3Target target)
    {
        this.target = target;
        var config = new AmazonS3Config
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(target.Region),
            // Checksums are ours (SHA-256 in the metadata); the SDK's default trailing CRC needs aws-chunked bodies
            // that S3-compatible stores do not all accept.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 3,
        };
        if (target.EndpointUrl is not null)
        {
            config.ServiceURL = target.EndpointUrl;
            config.ForcePathStyle = true;
        }
        client = new AmazonS3Client(config);
    }

    /// <summary>Uploads <paramref name="file"/> to <paramref name="key"/>; reports bytes sent so far.</summary>
    public async Task UploadAsync(string file, string key, IReadOnlyDictionary<string, string> metadata, IProgress<long> progress, CancellationToken ct)
    {
        var length = new FileInfo(file).Length;
        if (length <= target.PartSizeBytes)
        {
            var put = new PutObjectRequest { BucketName = target.Bucket, Key = key, FilePath = file, UseChunkEncoding = false, ContentType = "application/zip" };
            foreach (var (name, value) in metadata) put.Metadata.Add(name, value);
            await client.PutObjectAsync(put, ct).ConfigureAwait(false);
            progress.Report(length);
            return;
        }

        var initiate = new InitiateMultipartUploadRequest { BucketName = target.Bucket, Key = key, ContentType = "application/zip" };
        foreach (var (name, value) in metadata) initiate.Metadata.Add(name, value);
        var uploadId = (await client.InitiateMultipartUploadAsync(initiate, ct).ConfigureAwait(false)).UploadId;
        try
        {
            var partCount = (int)((length + target.PartSizeBytes - 1) / target.PartSizeBytes);
            var etags = new PartETag[partCount];
            long sent = 0;
            using var handle = File.OpenHandle(file);
            await Parallel.ForEachAsync(Enumerable.Range(1, partCount), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct },
                async (number, token) =>
                {
                    var offset = (long)(number - 1) * target.PartSizeBytes;
                    var buffer = new byte[(int)Math.Min(target.PartSizeBytes, length - offset)];
                    await RandomAccess.ReadAsync(handle, buffer, offset, token).ConfigureAwait(false);
                    using var body = new MemoryStream(buffer, writable: false);
                    var part = await client.UploadPartAsync(new UploadPartRequest
                    {
                        BucketName = target.Bucket, Key = key, UploadId = uploadId, PartNumber = number,
                        InputStream = body, PartSize = buffer.Length, UseChunkEncoding = false,
                    }, token).ConfigureAwait(false);
                    etags[number - 1] = new PartETag(number, part.ETag);
                    progress.Report(Interlocked.Add(ref sent, buffer.Length));
                }).ConfigureAwait(false);
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = target.Bucket, Key = key, UploadId = uploadId, PartETags = [.. etags],
            }, ct).ConfigureAwait(false);
        }
        catch
        {
            // Not cancellable: an interrupted upload must still be cleaned up.
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = target.Bucket, Key = key, UploadId = uploadId },
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A presigned GET URL valid for <paramref name="lifetime"/> from now.</summary>
    public string Presign(string key, TimeSpan lifetime) => client.GetPreSignedURL(new GetPreSignedUrlRequest
    {
        BucketName = target.Bucket,
        Key = key,
        Verb = HttpVerb.GET,
        // The SDK signs whole seconds from its own clock reading, rounding down: the margin keeps an hour 3600 s.
        Expires = DateTime.UtcNow.Add(lifetime).AddMilliseconds(500),
        Protocol = target.EndpointUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
    });

    /// <summary>Turns what S3 or the SDK said into a finding for the administrator.</summary>
    public static DistributionException Explain(Exception e, S3Target target) => e switch
    {
        AmazonS3Exception { ErrorCode: "NoSuchBucket" } =>
            new("--bucket", $"bucket '{target.Bucket}' does not exist in {target.Region}; deploy the distribution stack (ccwb deploy distribution) or pass --bucket"),
        AmazonS3Exception { ErrorCode: "ExpiredToken" or "TokenRefreshRequired" } or AmazonServiceException { ErrorCode: "ExpiredToken" } =>
            new("credentials", "the AWS credentials have expired; sign in again (aws sso login, or refresh the profile) and run distribute again"),
        AmazonS3Exception { ErrorCode: "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AllAccessDisabled" } s3 =>
            new("credentials", $"S3 refused the upload to '{target.Bucket}' ({s3.ErrorCode}): use credentials allowed s3:PutObject and s3:GetObject on the bucket"),
        AmazonServiceException service =>
            new("upload", $"S3 failed the upload ({service.ErrorCode ?? service.StatusCode.ToString()}): {service.Message}"),
        AmazonClientException client when client.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) =>
            new("credentials", $"no AWS credentials found: {client.Message}"),
        AmazonClientException or HttpRequestException or IOException =>
            new("upload", $"could not reach S3{(target.EndpointUrl is null ? "" : " at " + target.EndpointUrl)}: {e.Message}"),
        _ => new("upload", e.Message),
    };

    public void Dispose() => client.Dispose();
}
