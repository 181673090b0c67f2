using System.CommandLine;
using System.Globalization;
using Ccwb.CloudFormation.Planning;
using Ccwb.CloudFormation.Running;
using Ccwb.Profiles;
using Ccwb.Profiles.Store;
using QRCoder;
using Spectre.Console;

namespace Ccwb.Cli.Distribution;

/// <summary>
/// <c>ccwb distribute</c>: zips what Package wrote, uploads it to the distribution bucket with its SHA-256 in the
/// object metadata, prints a presigned download URL (1–168 hours) and records it so <c>--get-latest</c> can print it
/// again while it is valid.
/// </summary>
internal static class DistributeCommand
{
    private static readonly Option<int> ExpiresHours = new("--expires-hours")
    {
        Description = "Hours the download URL stays valid (1-168)", DefaultValueFactory = _ => 48,
    };
    private static readonly Option<bool> GetLatest = new("--get-latest") { Description = "Print the latest distribution again (no upload)" };
    private static readonly Option<bool> PerOs = new("--per-os") { Description = "Also upload one zip per operating system (linux, macos, windows)" };
    private static readonly Option<DirectoryInfo> PackagePath = new("--package-path")
    {
        Description = "Folder Package wrote (holds manifest.json)", DefaultValueFactory = _ => new DirectoryInfo("artifacts"),
    };
    private static readonly Option<FileInfo?> Zip = new("--zip") { Description = "Upload this zip instead of zipping the package folder" };
    private static readonly Option<string?> Bucket = new("--bucket") { Description = "Bucket to upload to (default: the distribution stack's DistributionBucket output)" };
    private static readonly Option<string?> EndpointUrl = new("--endpoint-url") { Description = "S3 endpoint to use instead of AWS's" };
    private static readonly Option<string?> CloudFormationEndpointUrl = new("--cloudformation-endpoint-url")
    {
        Description = "CloudFormation endpoint to read the stack's outputs from instead of AWS's",
    };
    private static readonly Option<string> Aws = new("--aws") { Description = "AWS CLI v2 executable, to read the stack's outputs", DefaultValueFactory = _ => "aws" };
    private static readonly Option<int> PartSizeMb = new("--part-size-mb")
    {
        Description = "Multipart part size in MiB (5-512); larger files go up in parts", DefaultValueFactory = _ => 16,
    };
    private static readonly Option<bool> ShowQr = new("--show-qr") { Description = "Print the QR code even when output is not a terminal" };

    public static Command Create()
    {
        var profile = new ProfileOptions();
        var command = new Command("distribute", "Upload the package to the distribution bucket and print a presigned download URL.");
        profile.AddTo(command);
        foreach (var option in new Option[] { ExpiresHours, GetLatest, PerOs, PackagePath, Zip, Bucket, EndpointUrl, CloudFormationEndpointUrl, Aws, PartSizeMb, ShowQr })
            command.Options.Add(option);
        command.SetAction((parse, ct) => RunAsync(parse, profile, Console.Out, Console.Error, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, ProfileOptions profileOptions, TextWriter output, TextWriter error, CancellationToken ct)
    {

        var hours = parse.GetValue(ExpiresHours);
        if (hours is < 1 or > 168) return Findings.Fail(error, "--expires-hours", $"{hours} is out of range: a URL can be valid for 1 to 168 hours (7 days)");
        var partSizeMb = parse.GetValue(PartSizeMb);
        if (partSizeMb is < 5 or > 512) return Findings.Fail(error, "--part-size-mb", $"{partSizeMb} is out of range: S3 parts are 5 to 512 MiB here");

        var loaded = profileOptions.Load(parse, output);
        if (loaded.Profile is null)
        {
            Findings.Print(error, loaded.Messages);
            return 1;
        }
        var profile = loaded.Profile;
        var store = ProfileStore.ForCurrentUser();
        var terminal = !Console.IsOutputRedirected;
        var now = DateTimeOffset.UtcNow;
        try
        {
            if (parse.GetValue(GetLatest))
            {
                var latest = LatestDistribution.Load(store.StoreDirectory, profile.Name)
                             ?? throw new DistributionException("distribution", $"no distribution is recorded for profile '{profile.Name}'; run 'ccwb distribute'");
                if (latest.Expires <= now)
                    throw new DistributionException("distribution", $"the latest distribution URL expired at {Utc(latest.Expires)}; run 'ccwb distribute' for a new one");
                Print(output, latest, terminal || parse.GetValue(ShowQr));
                return 0;
            }

            var bucket = parse.GetValue(Bucket) ?? await BucketFromStackAsync(profile, new AwsCli(parse.GetValue(Aws)!, parse.GetValue(CloudFormationEndpointUrl)), ct).ConfigureAwait(false);
            var target = new S3Target(bucket, profile.AwsRegion, parse.GetValue(EndpointUrl), partSizeMb * 1024 * 1024);
            var stamp = now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

            using var work = new WorkFolder();
            var zips = PrepareZips(parse, work.Path, stamp);
            var files = new List<DistributedFile>();
            using var upload = new S3Upload(target);
            foreach (var (zipPath, fileName) in zips)
            {
                var key = $"packages/{stamp}/{fileName}";
                var sha256 = PackageArchive.Sha256Of(zipPath);
                var size = new FileInfo(zipPath).Length;
                var metadata = new Dictionary<string, string>
                {
                    ["checksum"] = sha256,
                    ["created"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    ["profile"] = profile.Name,
                };
                try
                {
                    await UploadWithProgressAsync(upload, zipPath, key, size, metadata, terminal, output, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw S3Upload.Explain(e, target);
                }
                files.Add(new DistributedFile(fileName, key, sha256, size, upload.Presign(key, TimeSpan.FromHours(hours))));
            }

            var record = new LatestDistribution(profile.Name, bucket, now, now.AddHours(hours), files);
            record.Save(store.StoreDirectory);
            Print(output, record, terminal || parse.GetValue(ShowQr));
            return 0;
        }
        catch (DistributionException e)
        {
            return Findings.Fail(error, e.Subject, TerminalText.Clean(e.Message));
        }
        catch (OperationCanceledException)
        {
            return Findings.Fail(error, "upload", "interrupted; the incomplete upload was removed from the bucket and no URL was recorded");
        }
    }

    /// <summary>The zips to upload as (path, file name): the given one, or the all-platform zip and, with --per-os, one per OS.</summary>
    private static List<(string Path, string FileName)> PrepareZips(ParseResult parse, string workDirectory, string stamp)
    {
        if (parse.GetValue(Zip) is { } given)
        {
            PackageArchive.CheckReadable(given.FullName);
            if (parse.GetValue(PerOs)) throw new DistributionException("--per-os", "cannot be combined with --zip; per-OS zips are made from the package folder");
            return [(given.FullName, $"{Path.GetFileNameWithoutExtension(given.Name)}-{stamp}.zip")];
        }
        var packageDirectory = parse.GetValue(PackagePath)!.FullName;
        var manifest = PackageArchive.ReadManifest(packageDirectory);
        var zips = new List<(string, string)>();
        void Add(string name, string? ridPrefix)
        {
            var artifacts = PackageArchive.Select(manifest, ridPrefix);
            if (artifacts.Count == 0) return;
            var path = Path.Combine(workDirectory, name);
            PackageArchive.Write(packageDirectory, artifacts, path);
            zips.Add((path, name));
        }
        Add($"claude-code-package-{stamp}.zip", null);
        if (parse.GetValue(PerOs))
        {
            foreach (var (platform, ridPrefix) in PackageArchive.Platforms)
                if (manifest.Artifacts.Any(a => a.Rid?.StartsWith(ridPrefix, StringComparison.Ordinal) == true))
                    Add($"claude-code-{platform}-{stamp}.zip", ridPrefix);
        }
        if (zips.Count == 0) throw new DistributionException("--package-path", $"manifest.json in {packageDirectory} lists nothing to distribute");
        return zips;
    }

    /// <summary>The distribution stack's DistributionBucket output; <paramref name="option"/> names the flag that overrides it.</summary>
    internal static async Task<string> BucketFromStackAsync(DeploymentProfile profile, AwsCli aws, CancellationToken ct, string option = "--bucket")
    {
        if (!profile.EnableDistribution)
            throw new DistributionException("enable_distribution", $"distribution is disabled in profile '{profile.Name}'; enable it and deploy the distribution stack, or pass {option}");
        var stack = DeployPlanner.Plan(profile).Stacks.Single(s => s.Kind == "distribution");
        (string Status, IReadOnlyDictionary<string, string> Outputs)? described;
        try
        {
            described = await new StackDeployer(aws, TextWriter.Null).DescribeAsync(stack, Environment.CurrentDirectory, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StackOperationException or System.ComponentModel.Win32Exception)
        {
            throw new DistributionException(option, $"could not read stack {stack.StackName} with the AWS CLI ({e.Message}); pass {option}");
        }
        if (described?.Outputs.GetValueOrDefault("DistributionBucket") is { Length: > 0 } bucket) return bucket;
        throw new DistributionException(option, $"stack {stack.StackName} is not deployed or has no DistributionBucket output; run 'ccwb deploy distribution' or pass {option}");
    }

    private static async Task UploadWithProgressAsync(S3Upload upload, string zipPath, string key, long size,
        IReadOnlyDictionary<string, string> metadata, bool terminal, TextWriter output, CancellationToken ct)
    {
        if (!terminal)
        {
            // One plain line per part: readable in CI logs, where a redrawn bar would be noise.
            var progress = new SynchronousProgress(sent => output.WriteLine($"{key}: {Megabytes(sent)} of {Megabytes(size)} uploaded ({sent * 100 / Math.Max(size, 1)}%)"));
            await upload.UploadAsync(zipPath, key, metadata, progress, ct).ConfigureAwait(false);
            return;
        }
        await AnsiConsole.Progress().StartAsync(async context =>
        {
            var task = context.AddTask(Markup.Escape(Path.GetFileName(key)), maxValue: Math.Max(size, 1));
            await upload.UploadAsync(zipPath, key, metadata, new SynchronousProgress(sent => task.Value = sent), ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static void Print(TextWriter output, LatestDistribution record, bool qr)
    {
        output.WriteLine($"Expires: {Utc(record.Expires)} ({Math.Round((record.Expires - record.Created).TotalHours)} h after {Utc(record.Created)})");
        foreach (var file in record.Files)
        {
            output.WriteLine();
            output.WriteLine($"File:    {file.FileName} ({Megabytes(file.Size)})");
            output.WriteLine($"SHA256:  {file.Sha256}");
            output.WriteLine($"URL:     {file.Url}");
            output.WriteLine($"Download: curl -fL -o \"{file.FileName}\" \"{file.Url}\"");
            output.WriteLine($"Verify:   echo \"{file.Sha256}  {file.FileName}\" | sha256sum -c -");
        }
        if (!qr) return;
        output.WriteLine();
        output.WriteLine($"QR code for {record.Files[0].FileName}:");
        using var data = QRCodeGenerator.GenerateQrCode(record.Files[0].Url, QRCodeGenerator.ECCLevel.L);
        output.WriteLine(new AsciiQRCode(data).GetGraphicSmall(drawQuietZones: true));
    }

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0 'MB'", CultureInfo.InvariantCulture);

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        private readonly Lock gate = new();

        public void Report(long value)
        {
            lock (gate) report(value);
        }
    }

    /// <summary>A private temporary folder for the zips, removed whatever happens.</summary>
    private sealed class WorkFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("ccwb-distribute-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
