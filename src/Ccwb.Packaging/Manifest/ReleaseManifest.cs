using System.Text.Json.Serialization;

namespace Ccwb.Packaging.Manifest;

/// <summary>
/// manifest.json: everything one build produced, with size and SHA-256 of every artifact. Every later stage (signing,
/// distribution, the macOS pkg) reads this model instead of scanning folders. Paths are relative to the output folder
/// with '/' separators; lists are sorted so the same inputs give a byte-identical file.
/// </summary>
public sealed record ReleaseManifest
{
    public const int CurrentSchema = 1;

    public int Schema { get; init; } = CurrentSchema;
    public required string Product { get; init; }
    public required string Version { get; init; }
    public required string Commit { get; init; }
    public required string Profile { get; init; }

    /// <summary>The one time stamped into every archive entry; the Verify target rebuilds with it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SourceDateEpoch { get; init; }

    /// <summary>What each requested RID got: the kind of build, or why there is none.</summary>
    public required IReadOnlyList<BinaryEntry> Binaries { get; init; }

    public required IReadOnlyList<ArtifactEntry> Artifacts { get; init; }
}

/// <summary>The credential-process build for one RID.</summary>
public sealed record BinaryEntry
{
    public required string Rid { get; init; }

    /// <summary><see cref="BinaryKinds"/>: aot, single-file, x64-emulation or unavailable.</summary>
    public required string Kind { get; init; }

    /// <summary>The artifact path; null when <see cref="Kind"/> is unavailable.</summary>
    public string? Path { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }
}

/// <summary>One file in the output folder.</summary>
public sealed record ArtifactEntry
{
    public required string Path { get; init; }

    /// <summary><see cref="ArtifactTypes"/>.</summary>
    public required string Type { get; init; }

    public required long Size { get; init; }
    public required string Sha256 { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Rid { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; }

    /// <summary>
    /// Linux binaries: the highest GLIBC_ symbol version they require ("2.31"), so the oldest C library (and with it
    /// the oldest distribution) they run on. Read from the binary, as the deb's libc6 dependency is.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GlibcFloor { get; init; }

    /// <summary>True once the Sign target has signed the file (Authenticode) or written its detached signature.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IsSigned { get; init; }
}

public static class BinaryKinds
{
    public const string Aot = "aot";
    public const string SingleFile = "single-file";
    public const string X64Emulation = "x64-emulation";
    public const string Unavailable = "unavailable";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { Aot, SingleFile, X64Emulation, Unavailable };
}

public static class ArtifactTypes
{
    public const string Binary = "binary";
    public const string ProfileFile = "profile-file";
    public const string CloudFormation = "cloudformation";
    public const string Msi = "msi";
    public const string Deb = "deb";
    public const string Pkg = "pkg";
    public const string Zip = "zip";
    /// <summary>ccwb packed as a .NET tool (tool/ccwb.&lt;version&gt;.nupkg).</summary>
    public const string Tool = "tool";
    /// <summary>A quota service Lambda function's code (functions/&lt;name&gt;.zip), which ccwb deploy uploads.</summary>
    public const string Function = "function";
    public const string Signature = "signature";
    public const string AptRepository = "apt-repository";
}
