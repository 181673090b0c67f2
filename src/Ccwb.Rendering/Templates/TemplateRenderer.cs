using System.Collections.Concurrent;
using Scriban;
using Scriban.Runtime;

namespace Ccwb.Rendering.Templates;

/// <summary>
/// Renders the Scriban templates of <c>mdm-templates/</c>, embedded in this assembly so that output never depends
/// on the working directory. Unknown variables are errors, so a renamed model property cannot silently render empty.
/// </summary>
public static class TemplateRenderer
{
    private static readonly ConcurrentDictionary<string, Template> Cache = new(StringComparer.Ordinal);

    public static string Render(string templateName, object model, LineEnding ending)
    {
        var template = Cache.GetOrAdd(templateName, Load);
        var globals = new ScriptObject();
        globals.Import(typeof(EscapeFunctions));
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        var context = new TemplateContext { StrictVariables = true, LoopLimit = 0 };
        context.PushGlobal(globals);
        return LineEndings.Apply(template.Render(context), ending);
    }

    private static Template Load(string name)
    {
        var resource = $"mdm-templates/{name}";
        using var stream = typeof(TemplateRenderer).Assembly.GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"template {resource} is not embedded");
        using var reader = new StreamReader(stream);
        var template = Template.Parse(reader.ReadToEnd(), resource);
        if (template.HasErrors)
            throw new InvalidOperationException($"template {resource}: {string.Join("; ", template.Messages)}");
        return template;
    }

    /// <summary>Names of every embedded template (for tests that check each one parses).</summary>
    public static IEnumerable<string> Names =>
        typeof(TemplateRenderer).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("mdm-templates/", StringComparison.Ordinal))
            .Select(n => n["mdm-templates/".Length..]);

}
