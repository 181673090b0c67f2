using Ccwb.Packaging.Manifest;

namespace Ccwb.Packaging;

/// <summary>What the Publish target produced for one RID (a line of publish-plan.txt: rid|kind|path|note).</summary>
public sealed record PlannedBinary(string Rid, string Kind, string RelativePath, string? Note)
{
    public bool IsWindows => Rid.StartsWith("win-", StringComparison.Ordinal);
    public bool IsLinux => Rid.StartsWith("linux-", StringComparison.Ordinal);

    public static IReadOnlyList<PlannedBinary> ReadPlan(string path)
    {
        if (!File.Exists(path)) throw new PackagingException($"{path} not found: run the Publish target first");
        var plan = new List<PlannedBinary>();
        foreach (var line in File.ReadAllLines(path).Where(l => l.Length > 0))
        {
            var parts = line.Split('|', 4);
            if (parts.Length < 3 || !BinaryKinds.All.Contains(parts[1]))
                throw new PackagingException($"{path}: unreadable line '{line}'");
            plan.Add(new PlannedBinary(parts[0], parts[1], parts[2], parts.Length > 3 && parts[3].Length > 0 ? parts[3] : null));
        }
        return plan;
    }
}
