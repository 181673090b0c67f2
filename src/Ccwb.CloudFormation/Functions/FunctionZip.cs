using System.IO.Compression;
using System.Security.Cryptography;

namespace Ccwb.CloudFormation.Functions;

/// <summary>
/// The quota service's Lambda code: one zip per function holding only its native <c>bootstrap</c> (a
/// <c>provided.al2023</c> custom runtime runs <c>bootstrap</c> from the zip's root). The zip is the same bytes for the
/// same binary (fixed timestamp, fixed mode 0755), so its content-hashed S3 key changes only when the code does,
/// and CloudFormation updates a function only then.
/// </summary>
public static class FunctionZip
{
    /// <summary>The functions the quota stack runs: zip file name (without .zip) → template parameter for its S3 key.</summary>
    public static IReadOnlyList<(string Name, string KeyParameter)> QuotaFunctions { get; } =
        [("quota-check", "CheckFunctionCodeKey"), ("usage-monitor", "MonitorFunctionCodeKey")];

    /// <summary>Template parameter for the bucket both zips are uploaded to.</summary>
    public const string BucketParameter = "FunctionCodeBucket";

    /// <summary>Folder, under the build output, the Functions target writes the zips into.</summary>
    public const string Folder = "functions";

    /// <summary>S3 key prefix of uploaded function code.</summary>
    public const string KeyPrefix = "functions/";

    public const string Entry = "bootstrap";

    // 1980-01-01, the earliest time a zip entry can hold: no build clock leaks into the bytes.
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes <paramref name="zipPath"/> holding <paramref name="bootstrapPath"/> as <c>bootstrap</c> (0755).</summary>
    public static void Write(string bootstrapPath, string zipPath)
    {
        var temporary = zipPath + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                var entry = zip.CreateEntry(Entry, CompressionLevel.Optimal);
                entry.LastWriteTime = FixedTime;
                entry.ExternalAttributes = (0x8000 | 0x1ED) << 16; // regular file, rwxr-xr-x: Lambda runs it as is
                using var content = entry.Open();
                using var binary = File.OpenRead(bootstrapPath);
                binary.CopyTo(content);
            }
            File.Move(temporary, zipPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The S3 key of a function zip: <c>functions/&lt;name&gt;-&lt;sha256 prefix&gt;.zip</c>.</summary>
    public static string KeyFor(string name, string zipPath)
    {
        using var stream = File.OpenRead(zipPath);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return $"{KeyPrefix}{name}-{hash[..16]}.zip";
    }
}
