using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ccwb.CloudFormation.Tests;

/// <summary>
/// AWS's cfn-lint (the Python package, current resource schemas). The npm package of the same name was tried and
/// is unusable: its 2019 specification rejects AWS::IAM::OIDCProvider and reports valid intrinsics as errors.
/// </summary>
internal static class CfnLint
{
    /// <summary>cfn-lint on PATH, else the machine image's pyenv install (CI shells do not load pyenv's PATH).</summary>
    public static string Executable { get; } = Locate();

    public sealed record Finding(string Rule, string Message, string File, int Line);

    /// <summary>Lints templates, optionally bound to parameter files in the AWS CLI shape, for the given regions.</summary>
    /// <remarks>One process for many files: cfn-lint takes seconds to start.</remarks>
    public static IReadOnlyList<Finding> Run(IReadOnlyList<string> templates, IReadOnlyList<string> regions, IReadOnlyList<string>? cliParameterFiles = null)
    {
        List<string> arguments = [.. templates, "--regions", .. regions, "--format", "json"];
        var converted = new List<string>();
        foreach (var file in cliParameterFiles ?? [])
        {
            var copy = Path.ChangeExtension(file, ".cfn-lint.json");
            File.WriteAllText(copy, ListsAsArrays(file, templates));
            converted.Add(copy);
        }
        if (converted.Count > 0)
        {
            arguments.Add("--parameter-files");
            arguments.AddRange(converted);
        }
        try
        {
            var lint = Testing.Processes.Run.Tool(Executable, arguments);
            if (lint.Output.Trim().Length == 0)
                return lint.ExitCode == 0 ? [] : throw new InvalidOperationException($"cfn-lint failed ({lint.ExitCode}): {lint.Error}");
            return [.. JsonNode.Parse(lint.Output)!.AsArray().Select(f => new Finding(
                f!["Rule"]!["Id"]!.GetValue<string>(),
                f["Message"]!.GetValue<string>(),
                f["Filename"]!.GetValue<string>(),
                f["Location"]!["Start"]!["LineNumber"]!.GetValue<int>()))];
        }
        finally
        {
            foreach (var c in converted) File.Delete(c);
        }
    }

    // CloudFormation takes every ParameterValue as a string ("a,b" for a list); cfn-lint's parameter-file check wants
    // list parameters as JSON arrays, so list values are split for it.
    private static string ListsAsArrays(string cliParameterFile, IReadOnlyList<string> templates)
    {
        var lists = templates.SelectMany(t => Templates.CfnYaml.Parse(File.ReadAllText(t))["Parameters"]!.AsObject())
            .Where(p => p.Value!["Type"]!.GetValue<string>() == "CommaDelimitedList").Select(p => p.Key).ToHashSet();
        var parameters = JsonNode.Parse(File.ReadAllText(cliParameterFile))!.AsArray();
        foreach (var p in parameters)
            if (lists.Contains(p!["ParameterKey"]!.GetValue<string>()))
                p["ParameterValue"] = new JsonArray([.. p["ParameterValue"]!.GetValue<string>().Split(',').Select(v => (JsonNode)v)]);
        return parameters.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string Locate()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "cfn-lint"))) return Path.Combine(dir, "cfn-lint");
        var pyenv = Environment.GetEnvironmentVariable("PYENV_ROOT") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        var installed = Directory.Exists(Path.Combine(pyenv, "versions"))
            ? Directory.GetDirectories(Path.Combine(pyenv, "versions")).Select(v => Path.Combine(v, "bin", "cfn-lint")).Where(File.Exists).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException("AWS's cfn-lint is not installed (pip package cfn-lint); the template tests need it");
    }
}
