using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Ccwb.Packaging.Tools;

namespace Ccwb.Packaging.Verification;

/// <summary>
/// The inner files of an archive artifact, each with a fingerprint (SHA-256 of the content plus the metadata the
/// archive stores), so that two copies of an artifact can be compared part by part:
///   .deb  ar members, and every entry of control.tar and data.tar (through dpkg-deb)
///   .msi  summary information, every table (msiinfo export), every stream, every installed file (msiextract)
///   .zip  every entry, with its time and attributes
/// </summary>
public sealed class InnerFiles(string workDirectory)
{
    private readonly ExternalTool _dpkgDeb = KnownTools.DpkgDeb();
    private readonly ExternalTool _msiinfo = new("msiinfo", "install it with 'apt-get install msitools', or run build/install-prerequisites.sh");
    private readonly ExternalTool _msiextract = new("msiextract", "install it with 'apt-get install msitools', or run build/install-prerequisites.sh");

    public static bool IsArchive(string path) => Path.GetExtension(path).ToLowerInvariant() is ".deb" or ".msi" or ".zip";

    /// <summary>Inner name → fingerprint; names are prefixed by the layer they come from ("data.tar: ./usr/bin/x").</summary>
    public SortedDictionary<string, string> List(string archive)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        switch (Path.GetExtension(archive).ToLowerInvariant())
        {
            case ".deb": ListDeb(archive, result); break;
            case ".msi": ListMsi(archive, result); break;
            case ".zip": ListZip(archive, result); break;
        }
        return result;
    }

    /// <summary>The inner names whose fingerprints differ, or that only one side has (marked as such).</summary>
    public IReadOnlyList<string> Differences(string expected, string actual)
    {
        var left = List(expected);
        var right = List(actual);
        var differences = new List<string>();
        foreach (var name in left.Keys.Union(right.Keys).Order(StringComparer.Ordinal))
        {
            if (!right.TryGetValue(name, out var r)) differences.Add($"{name} (only in the release)");
            else if (!left.TryGetValue(name, out var l)) differences.Add($"{name} (only in the rebuild)");
            else if (l != r) differences.Add(name);
        }
        return differences;
    }

    private void ListDeb(string deb, SortedDictionary<string, string> result)
    {
        foreach (var member in ArArchive.Read(deb))
            result[$"ar: {member.Name}"] = Sha256(member.Content);
        ListTar("control.tar", _dpkgDeb, ["--ctrl-tarfile", deb], result);
        ListTar("data.tar", _dpkgDeb, ["--fsys-tarfile", deb], result);
    }

    private void ListTar(string layer, ExternalTool tool, string[] arguments, SortedDictionary<string, string> result)
    {
        var tar = NewWorkFile(".tar");
        if (tool.RunToFile(tar, arguments).ExitCode != 0) return; // a damaged member shows as its ar entry already
        using var stream = File.OpenRead(tar);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            var content = "";
            if (entry.DataStream is not null)
            {
                using var data = new MemoryStream();
                entry.DataStream.CopyTo(data);
                content = Sha256(data.ToArray());
            }
            result[$"{layer}: {entry.Name}"] = string.Join(' ', entry.EntryType, Convert.ToString((int)entry.Mode, 8),
                entry.Uid, entry.Gid, (entry as PosixTarEntry)?.UserName, (entry as PosixTarEntry)?.GroupName,
                entry.ModificationTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), entry.LinkName, content);
        }
    }

    private void ListMsi(string msi, SortedDictionary<string, string> result)
    {
        result["summary information"] = Sha256(_msiinfo.RunChecked("Reading the summary information", ["suminfo", msi]).StandardOutput);
        foreach (var table in Lines(_msiinfo.RunChecked("Listing the MSI tables", ["tables", msi]).StandardOutput))
            result[$"table: {table}"] = Sha256(_msiinfo.RunChecked($"Exporting the {table} table", ["export", msi, table]).StandardOutput);
        foreach (var stream in Lines(_msiinfo.RunChecked("Listing the MSI streams", ["streams", msi]).StandardOutput))
        {
            var file = NewWorkFile(".stream");
            _msiinfo.RunToFile(file, ["extract", msi, stream]);
            result[$"stream: {stream}"] = Sha256(File.ReadAllBytes(file));
        }
        var extracted = NewWorkFile(".files");
        Directory.CreateDirectory(extracted);
        _msiextract.RunChecked("Extracting the MSI's files", ["-C", extracted, msi]);
        foreach (var file in Directory.EnumerateFiles(extracted, "*", SearchOption.AllDirectories))
            result[$"file: {Path.GetRelativePath(extracted, file).Replace('\\', '/')}"] = Sha256(File.ReadAllBytes(file));
    }

    private static void ListZip(string zip, SortedDictionary<string, string> result)
    {
        using var archive = ZipFile.OpenRead(zip);
        foreach (var entry in archive.Entries)
        {
            using var data = new MemoryStream();
            using (var stream = entry.Open()) stream.CopyTo(data);
            result[$"zip: {entry.FullName}"] = string.Join(' ', entry.LastWriteTime.ToString("O", CultureInfo.InvariantCulture),
                entry.ExternalAttributes.ToString(CultureInfo.InvariantCulture), entry.Comment, Sha256(data.ToArray()));
        }
    }

    private string NewWorkFile(string suffix)
    {
        Directory.CreateDirectory(workDirectory);
        return Path.Combine(workDirectory, Guid.NewGuid().ToString("N")[..12] + suffix);
    }

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Sha256(string text) => Sha256(System.Text.Encoding.UTF8.GetBytes(text));

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
