using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ccwb.Cli.DeploymentTest;

internal enum StepStatus
{
    Pass,
    Warn,
    Fail,
}

/// <summary>One checked step: what was checked, the outcome, what was seen, and (when it did not pass) what to fix.</summary>
internal sealed record Step(string Name, StepStatus Status, string Detail, string? Fix = null)
{
    public static Step Pass(string name, string detail) => new(name, StepStatus.Pass, detail);
    public static Step Warn(string name, string detail, string fix) => new(name, StepStatus.Warn, detail, fix);
    public static Step Fail(string name, string detail, string fix) => new(name, StepStatus.Fail, detail, fix);
}

/// <summary>The steps of one <c>ccwb test</c> run, printed for people or as JSON; any failed step fails the run.</summary>
internal sealed class StepReport(string profile, string package, string rid)
{
    private readonly List<Step> steps = [];

    public IReadOnlyList<Step> Steps => steps;
    public bool Failed => steps.Any(s => s.Status == StepStatus.Fail);

    public Step Add(Step step)
    {
        steps.Add(step);
        return step;
    }

    public string ToText()
    {
        var text = new StringBuilder();
        text.Append($"Testing profile '{profile}' with the {rid} helper of {package}\n");
        foreach (var step in steps)
        {
            text.Append($"  {Label(step.Status)}  {step.Name}: {step.Detail}\n");
            if (step.Fix is { } fix) text.Append($"        fix: {fix}\n");
        }
        var failed = steps.Count(s => s.Status == StepStatus.Fail);
        var warned = steps.Count(s => s.Status == StepStatus.Warn);
        text.Append(failed > 0
            ? $"{failed} step(s) failed, {warned} warning(s).\n"
            : $"All {steps.Count} steps passed{(warned > 0 ? $" ({warned} with warnings)" : "")}.\n");
        return text.ToString();
    }

    public string ToJson()
    {
        var list = new JsonArray();
        foreach (var step in steps)
            list.Add(new JsonObject
            {
                ["name"] = step.Name, ["status"] = Label(step.Status).ToLowerInvariant(), ["detail"] = step.Detail, ["fix"] = step.Fix,
            });
        return new JsonObject
        {
            ["profile"] = profile, ["package"] = package, ["rid"] = rid, ["passed"] = !Failed, ["steps"] = list,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Label(StepStatus status) => status switch
    {
        StepStatus.Pass => "PASS",
        StepStatus.Warn => "WARN",
        _ => "FAIL",
    };
}
