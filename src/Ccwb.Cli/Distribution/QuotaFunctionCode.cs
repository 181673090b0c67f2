using Ccwb.CloudFormation.Functions;
using Ccwb.CloudFormation.Planning;

namespace Ccwb.Cli.Distribution;

/// <summary>One quota function's zip as built by <c>./build.sh Functions</c>, and the S3 key it is uploaded under.</summary>
internal sealed record FunctionZipFile(string Name, string Path, string Key);

/// <summary>
/// The quota stack's Lambda code for <c>ccwb deploy</c>: the zips the Functions build target wrote, their
/// content-hashed S3 keys, and their upload to the artifact bucket before the stack is created or updated.
/// </summary>
internal static class QuotaFunctionCode
{
    /// <summary>Default folder of the zips: the build's output (artifacts/functions) under the current directory.</summary>
    public static string DefaultDirectory => Path.GetFullPath(Path.Combine("artifacts", FunctionZip.Folder));

    /// <summary>Both zips with their keys; a missing zip stops the deploy before anything is uploaded.</summary>
    public static IReadOnlyList<FunctionZipFile> Find(string directory)
    {
        var found = new List<FunctionZipFile>();
        foreach (var (name, _) in FunctionZip.QuotaFunctions)
        {
            var path = System.IO.Path.Combine(directory, name + ".zip");
            if (!File.Exists(path))
                throw new DistributionException("--functions", $"{path} not found: build the quota functions with './build.sh Functions' " +
                                                               "or pass --functions <folder holding quota-check.zip and usage-monitor.zip>");
            found.Add(new(name, path, FunctionZip.KeyFor(name, path)));
        }
        return found;
    }

    public static FunctionCode CodeFor(string bucket, IReadOnlyList<FunctionZipFile> zips) =>
        new(bucket, zips.Single(z => z.Name == "quota-check").Key, zips.Single(z => z.Name == "usage-monitor").Key);

    /// <summary>The commands a dry run prints in place of the uploads.</summary>
    public static IEnumerable<string> DryRunCommands(string aws, string bucket, string region, IReadOnlyList<FunctionZipFile> zips) =>
        zips.Select(z => $"{aws} s3 cp --region {region} {z.Path} s3://{bucket}/{z.Key}");

    /// <summary>Uploads each zip; a key is content-hashed, so the same zip lands on the same object again.</summary>
    public static async Task UploadAsync(S3Target target, IReadOnlyList<FunctionZipFile> zips, TextWriter log, CancellationToken ct)
    {
        using var upload = new S3Upload(target);
        foreach (var zip in zips)
        {
            try
            {
                // Read again: the object must hold the bytes its key was computed from.
                if (FunctionZip.KeyFor(zip.Name, zip.Path) != zip.Key) throw new DistributionException("--functions", $"{zip.Path} changed while deploying; run deploy again");
                await upload.UploadAsync(zip.Path, zip.Key, new Dictionary<string, string>(), new Progress<long>(), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (DistributionException or OperationCanceledException))
            {
                throw S3Upload.Explain(e, target);
            }
            await log.WriteLineAsync($"Uploaded {zip.Name} to s3://{target.Bucket}/{zip.Key}").ConfigureAwait(false);
        }
    }
}
