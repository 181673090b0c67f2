using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

namespace Ccwb.Testing;

/// <summary>
/// Snapshot files with Verify's conventions: <c>&lt;Class&gt;.&lt;Method&gt;[_&lt;case&gt;].verified.&lt;ext&gt;</c> beside the
/// test source. A mismatch writes <c>.received.</c> next to it and fails; setting <c>ACCEPT_SNAPSHOTS=1</c> accepts
/// the received content instead. Comparison is byte for byte, so line endings are part of the snapshot.
/// </summary>
/// <remarks>
/// Hand-written because Verify.Xunit cannot be restored here, and ApprovalTests' namer is process-wide static state
/// that does not fit parallel, per-profile test cases.
/// </remarks>
public static class Snapshot
{
    public const string AcceptVariable = "ACCEPT_SNAPSHOTS";

    public static void Verify(
        string actual,
        string extension,
        string? caseName = null,
        [CallerFilePath] string sourceFile = "",
        [CallerMemberName] string method = "")
        => Verify(Encoding.UTF8.GetBytes(actual), extension, caseName, sourceFile, method);

    public static void Verify(
        byte[] actual,
        string extension,
        string? caseName = null,
        [CallerFilePath] string sourceFile = "",
        [CallerMemberName] string method = "")
    {
        var directory = Path.GetDirectoryName(sourceFile)!;
        if (!Directory.Exists(directory))
            Assert.Fail($"Snapshot folder {directory} does not exist: test binaries must keep real source paths (no PathMap).");
        var stem = $"{Path.GetFileNameWithoutExtension(sourceFile)}.{method}{(caseName is null ? "" : "_" + Sanitize(caseName))}";
        var ext = extension.TrimStart('.');
        var verified = Path.Combine(directory, $"{stem}.verified.{ext}");
        var received = Path.Combine(directory, $"{stem}.received.{ext}");

        var expected = File.Exists(verified) ? File.ReadAllBytes(verified) : null;
        if (expected is not null && expected.AsSpan().SequenceEqual(actual))
        {
            File.Delete(received);
            return;
        }

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllBytes(verified, actual);
            File.Delete(received);
            return;
        }

        File.WriteAllBytes(received, actual);
        var reason = expected is null ? "no verified snapshot exists yet" : DescribeFirstDifference(expected, actual);
        Assert.Fail($"Snapshot mismatch for {Path.GetFileName(verified)}: {reason}. Compare with {received}; " +
                    $"set {AcceptVariable}=1 to accept.");
    }

    /// <summary>
    /// Verified files whose class or method no longer exists in the test assembly: names of the form
    /// <c>Class.Method[_case].verified.ext</c> must match a type and a method declared in <paramref name="testAssembly"/>.
    /// </summary>
    public static IReadOnlyList<string> FindOrphans(Assembly testAssembly, string projectDirectory)
    {
        var methodsByClass = testAssembly.GetTypes()
            .GroupBy(t => t.Name)
            .ToDictionary(g => g.Key, g => g.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic |
                                                                             BindingFlags.Instance | BindingFlags.Static |
                                                                             BindingFlags.DeclaredOnly))
                                           .Select(m => m.Name).ToHashSet());
        var orphans = new List<string>();
        foreach (var file in Directory.EnumerateFiles(projectDirectory, "*.verified.*", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ||
                file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                continue;
            var name = Path.GetFileName(file);
            var stem = name[..name.IndexOf(".verified.", StringComparison.Ordinal)];
            var dot = stem.IndexOf('.', StringComparison.Ordinal);
            var className = dot < 0 ? stem : stem[..dot];
            var rest = dot < 0 ? "" : stem[(dot + 1)..];
            var used = methodsByClass.TryGetValue(className, out var methods) &&
                       methods.Any(m => rest == m || rest.StartsWith(m + "_", StringComparison.Ordinal));
            if (!used) orphans.Add(Path.GetRelativePath(projectDirectory, file));
        }
        orphans.Sort(StringComparer.Ordinal);
        return orphans;
    }

    private static string Sanitize(string caseName)
    {
        var sb = new StringBuilder(caseName.Length);
        foreach (var c in caseName) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_');
        return sb.ToString();
    }

    private static string DescribeFirstDifference(byte[] expected, byte[] actual)
    {
        var e = Encoding.UTF8.GetString(expected).Split('\n');
        var a = Encoding.UTF8.GetString(actual).Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end of file>";
            var al = i < a.Length ? a[i] : "<end of file>";
            if (el != al) return $"line {i + 1} differs: expected «{el.TrimEnd('\r')}», got «{al.TrimEnd('\r')}»";
        }
        return $"bytes differ ({expected.Length} expected, {actual.Length} received), e.g. in line endings";
    }
}
