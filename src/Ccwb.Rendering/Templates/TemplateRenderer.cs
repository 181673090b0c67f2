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

    // Only our escaping functions are offered, not Scriban's built-in library: the templates need none of it, and
    // importing it costs about 100 ms of start-up in every ccwb run.
    private static readonly ScriptObject Functions = CreateFunctions();

    public static string Render(string templateName, object model, LineEnding ending)
    {
        var template = Cache.GetOrAdd(templateName, Load);
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        var context = new TemplateContext(new ScriptObject()) { StrictVariables = true, LoopLimit = 0 };
        context.PushGlobal(Functions);
        context.PushGlobal(globals);
        return LineEndings.Apply(template.Render(context), ending);
    }

    /// <summary>Parses every template; started in the background by the CLI so parsing overlaps profile loading.</summary>
    public static void Preload()
    {
        foreach (var name in Names) Cache.GetOrAdd(name, Load);
    }

    private static ScriptObject CreateFunctions()
    {
        var functions = new ScriptObject();
        void Add(string name, Func<string?, string> function) =>
            functions.SetValue(name, DelegateCustomFunction.CreateFunc(function), readOnly: true);
        Add("xml", EscapeFunctions.Xml);
        Add("reg", EscapeFunctions.Reg);
        Add("sh", EscapeFunctions.Sh);
        Add("ps", EscapeFunctions.Ps);
        Add("bat", EscapeFunctions.Bat);
        Add("md", EscapeFunctions.Md);
        Add("yaml", EscapeFunctions.Yaml);
        return functions;
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

    /// <summary>Names of every embedded template.</summary>
    public static IEnumerable<string> Names =>
        typeof(TemplateRenderer).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("mdm-templates/", StringComparison.Ordinal))
            .Select(n => n["mdm-templates/".Length..]);
}
