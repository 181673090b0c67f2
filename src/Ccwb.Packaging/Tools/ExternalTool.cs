using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Ccwb.Packaging.Tools;

/// <summary>The outcome of running an external tool.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The last non-empty line of stderr (else stdout): what a one-line error message quotes.</summary>
    public string LastLine => LastNonEmptyLine(StandardError) ?? LastNonEmptyLine(StandardOutput) ?? "";

    private static string? LastNonEmptyLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}

/// <summary>
/// An external program the packaging runs (wixl, dpkg-deb, osslsigncode, gpg). Found on PATH unless an explicit path
/// is given; a missing tool is reported with how to install it, before anything is written.
/// </summary>
public sealed class ExternalTool
{
    private readonly string _installHint;

    public ExternalTool(string name, string installHint, string? explicitPath = null)
    {
        Name = name;
        _installHint = installHint;
        ExplicitPath = string.IsNullOrEmpty(explicitPath) ? null : explicitPath;
    }

    public string Name { get; }
    public string? ExplicitPath { get; }

    /// <summary>The full path of the tool; throws a <see cref="PackagingException"/> naming how to install it.</summary>
    public string Resolve()
    {
        if (ExplicitPath is not null)
            return File.Exists(ExplicitPath) ? ExplicitPath : throw Missing();
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in OperatingSystem.IsWindows() ? [Name + ".exe", Name] : new[] { Name })
            {
                var full = Path.Combine(dir, candidate);
                if (File.Exists(full)) return full;
            }
        }
        throw Missing();
    }

    public bool IsAvailable()
    {
        try { Resolve(); return true; }
        catch (PackagingException) { return false; }
    }

    public ToolResult Run(IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? standardInput = null)
    {
        var command = Cli.Wrap(Resolve())
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None);
        if (workingDirectory is not null) command = command.WithWorkingDirectory(workingDirectory);
        if (environment is not null) command = command.WithEnvironmentVariables(environment);
        if (standardInput is not null) command = command.WithStandardInputPipe(PipeSource.FromString(standardInput));
        var result = command.ExecuteBufferedAsync(Encoding.UTF8).GetAwaiter().GetResult();
        return new ToolResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>Runs the tool with its standard output written to <paramref name="outputFile"/> (binary output: tar, MSI streams).</summary>
    public ToolResult RunToFile(string outputFile, IEnumerable<string> arguments)
    {
        var error = new StringBuilder();
        var result = Cli.Wrap(Resolve())
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToFile(outputFile))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(error))
            .ExecuteAsync().GetAwaiter().GetResult();
        return new ToolResult(result.ExitCode, "", error.ToString());
    }

    /// <summary>Runs the tool and throws with <paramref name="what"/> and the tool's last error line on failure.</summary>
    public ToolResult RunChecked(string what, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? standardInput = null)
    {
        var result = Run(arguments, workingDirectory, environment, standardInput);
        if (result.ExitCode != 0)
            throw new PackagingException($"{what} failed: {Name} exited with {result.ExitCode}: {result.LastLine}");
        return result;
    }

    private PackagingException Missing() => new(
        $"{Name} not found{(ExplicitPath is null ? " on PATH" : $" at {ExplicitPath}")}: {_installHint}");
}

/// <summary>The tools the packaging uses, with how to get each.</summary>
public static class KnownTools
{
    public static ExternalTool Wixl(string? path = null) =>
        new("wixl", "install it with 'apt-get install wixl' (Debian/Ubuntu), or run build/install-prerequisites.sh", path);

    /// <summary>msibuild ships with wixl in msitools; it is looked for beside the wixl in use.</summary>
    public static ExternalTool Msibuild(string path) =>
        new("msibuild", "install it with 'apt-get install msitools', or run build/install-prerequisites.sh", path);

    public static ExternalTool DpkgDeb(string? path = null) =>
        new("dpkg-deb", "install it with 'apt-get install dpkg-dev', or run build/install-prerequisites.sh", path);

    /// <summary>libfaketime: runs a tool that stamps the current time on a clock frozen at the source date.</summary>
    public static ExternalTool Faketime(string? path = null) =>
        new("faketime", "install it with 'apt-get install faketime', or run build/install-prerequisites.sh", path);

    public static ExternalTool Gzip() => new("gzip", "install it with 'apt-get install gzip'");

    public static ExternalTool Osslsigncode(string? path = null) =>
        new("osslsigncode", "install it with 'apt-get install osslsigncode', or run build/install-prerequisites.sh", path);

    public static ExternalTool Gpg(string? path = null) =>
        new("gpg", "install it with 'apt-get install gnupg', or run build/install-prerequisites.sh", path);

    /// <summary>GNU readelf reads ELF files of every architecture, so arm64 binaries are read on an x64 host.</summary>
    public static ExternalTool Readelf() =>
        new("readelf", "install it with 'apt-get install binutils', or run build/install-prerequisites.sh");

    public static ExternalTool Diffoscope() =>
        new("diffoscope", "install it with 'apt-get install diffoscope-minimal', or run build/install-prerequisites.sh");

    public static ExternalTool AptFtpArchive() =>
        new("apt-ftparchive", "install it with 'apt-get install apt-utils', or run build/install-prerequisites.sh");
}
