using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;
using Ccwb.CloudFormation.Templates;
using Ccwb.CloudFormation.Tests.Iam;

namespace Ccwb.CloudFormation.Tests.Fakes;

/// <summary>
/// A CloudFormation endpoint on 127.0.0.1 for the real AWS CLI: the query protocol with AWS's XML answers and error
/// shapes, for CreateStack, UpdateStack, DescribeStacks and DeleteStack. It checks what CloudFormation checks on
/// these calls — a SigV4 Authorization scoped to the request's region and to cloudformation, declared parameters
/// only, required ones present, values within their constraints, CAPABILITY_NAMED_IAM for named IAM resources, tag
/// rules, "No updates are to be performed" — and answers DescribeStacks with the template's outputs resolved.
/// Stacks complete at once, so the CLI's waiters succeed on their first DescribeStacks.
/// </summary>
internal sealed partial class CloudFormationEndpoint : IDisposable
{
    private const string Namespace = "http://cloudformation.amazonaws.com/doc/2010-05-15/";
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Stack> _stacks = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public CloudFormationEndpoint()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>Every request, in arrival order: its region (from the signature) and form fields.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public sealed record RecordedRequest(string Action, string Region, IReadOnlyDictionary<string, string> Form)
    {
        /// <summary>Members of a query-protocol list of structures, e.g. Parameters.member.N.ParameterKey.</summary>
        public IReadOnlyList<(string, string)> Pairs(string list, string key, string value) =>
            [.. Enumerable.Range(1, 100).TakeWhile(i => Form.ContainsKey($"{list}.member.{i}.{key}"))
                .Select(i => (Form[$"{list}.member.{i}.{key}"], Form.GetValueOrDefault($"{list}.member.{i}.{value}") ?? ""))];

        public IReadOnlyList<string> Values(string list) =>
            [.. Enumerable.Range(1, 100).TakeWhile(i => Form.ContainsKey($"{list}.member.{i}")).Select(i => Form[$"{list}.member.{i}"])];
    }

    private sealed record Stack(string Name, string Region, string Id, string Template, IReadOnlyList<(string, string)> Parameters,
                                IReadOnlyList<(string, string)> Tags, IReadOnlyList<string> Capabilities, string Status);

    /// <summary>Puts a stack in place as if an earlier deploy had left it in <paramref name="status"/>.</summary>
    public void Seed(string name, string region, string status) =>
        _stacks[name] = new Stack(name, region, StackId(region, name), "", [], [], [], status);

    public bool Exists(string name) => _stacks.ContainsKey(name);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            try { Handle(context); }
            catch (Exception e) { Respond(context, 500, Error("Receiver", "InternalFailure", e.Message)); }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var query = HttpUtility.ParseQueryString(reader.ReadToEnd());
        var form = query.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => query[k]!, StringComparer.Ordinal);
        var action = form.GetValueOrDefault("Action") ?? "";

        var scope = SignatureScope().Match(context.Request.Headers["Authorization"] ?? "");
        if (!scope.Success || scope.Groups["service"].Value != "cloudformation")
        {
            Respond(context, 403, Error("Sender", "IncompleteSignature", "Authorization header requires a SigV4 signature for cloudformation"));
            return;
        }
        var region = scope.Groups["region"].Value;
        Requests.Enqueue(new RecordedRequest(action, region, form));

        var (status, body) = action switch
        {
            "CreateStack" => Create(form, region),
            "UpdateStack" => Update(form, region),
            "DescribeStacks" => Describe(form),
            "DeleteStack" => Delete(form),
            _ => (400, Error("Sender", "InvalidAction", $"{action} is not served here")),
        };
        Respond(context, status, body);
    }

    private (int, string) Create(Dictionary<string, string> form, string region)
    {
        var name = form["StackName"];
        if (_stacks.ContainsKey(name)) return (400, Error("Sender", "AlreadyExistsException", $"Stack [{name}] already exists"));
        if (Validate(form) is { } invalid) return invalid;
        var stack = Build(form, region, StackId(region, name), "CREATE_COMPLETE");
        if (MissingImport(stack) is { } missing) return (400, Error("Sender", "ValidationError", missing));
        _stacks[name] = stack;
        return (200, Result("CreateStack", $"<StackId>{stack.Id}</StackId>"));
    }

    private (int, string) Update(Dictionary<string, string> form, string region)
    {
        var name = form["StackName"];
        if (!_stacks.TryGetValue(name, out var existing)) return (400, Error("Sender", "ValidationError", $"Stack [{name}] does not exist"));
        if (Validate(form) is { } invalid) return invalid;
        var updated = Build(form, region, existing.Id, "UPDATE_COMPLETE");
        if (MissingImport(updated) is { } missing) return (400, Error("Sender", "ValidationError", missing));
        if (updated.Template == existing.Template && updated.Parameters.SequenceEqual(existing.Parameters) && updated.Tags.SequenceEqual(existing.Tags))
            return (400, Error("Sender", "ValidationError", "No updates are to be performed."));
        _stacks[name] = updated;
        return (200, Result("UpdateStack", $"<StackId>{updated.Id}</StackId>"));
    }

    private (int, string) Delete(Dictionary<string, string> form)
    {
        _stacks.TryRemove(form["StackName"], out _);
        return (200, Result("DeleteStack", ""));
    }

    private (int, string) Describe(Dictionary<string, string> form)
    {
        var name = form.GetValueOrDefault("StackName") ?? "";
        if (!_stacks.TryGetValue(name, out var stack)) return (400, Error("Sender", "ValidationError", $"Stack with id {name} does not exist"));
        var xml = new StringBuilder();
        xml.Append("<Stacks><member>")
           .Append($"<StackId>{stack.Id}</StackId><StackName>{X(stack.Name)}</StackName>")
           .Append("<CreationTime>2026-01-01T00:00:00.000Z</CreationTime>")
           .Append($"<StackStatus>{stack.Status}</StackStatus>");
        xml.Append("<Parameters>");
        foreach (var (k, v) in stack.Parameters) xml.Append($"<member><ParameterKey>{X(k)}</ParameterKey><ParameterValue>{X(v)}</ParameterValue></member>");
        xml.Append("</Parameters><Capabilities>");
        foreach (var c in stack.Capabilities) xml.Append($"<member>{X(c)}</member>");
        xml.Append("</Capabilities><Tags>");
        foreach (var (k, v) in stack.Tags) xml.Append($"<member><Key>{X(k)}</Key><Value>{X(v)}</Value></member>");
        xml.Append("</Tags><Outputs>");
        foreach (var (k, v) in Outputs(stack)) xml.Append($"<member><OutputKey>{X(k)}</OutputKey><OutputValue>{X(v)}</OutputValue></member>");
        xml.Append("</Outputs></member></Stacks>");
        return (200, Result("DescribeStacks", xml.ToString()));
    }

    /// <summary>CloudFormation's checks of a CreateStack / UpdateStack request, with its error codes and wording.</summary>
    private static (int, string)? Validate(Dictionary<string, string> form)
    {
        if (!form.TryGetValue("TemplateBody", out var body)) return (400, Error("Sender", "ValidationError", "Either Template URL or Template Body must be specified."));
        CfnTemplate template;
        try { template = new CfnTemplate("request", body); }
        catch (Exception e) when (e is FormatException or YamlDotNet.Core.YamlException)
        {
            return (400, Error("Sender", "ValidationError", "Template format error: " + e.Message));
        }
        var request = new RecordedRequest("", "", form);
        var parameters = request.Pairs("Parameters", "ParameterKey", "ParameterValue");
        var undeclared = parameters.Select(p => p.Item1).Where(k => template.Parameter(k) is null).ToList();
        if (undeclared.Count > 0) return (400, Error("Sender", "ValidationError", $"Parameters: [{string.Join(", ", undeclared)}] do not exist in the template"));
        var missing = template.Parameters.Where(p => p.IsRequired && parameters.All(g => g.Item1 != p.Name)).Select(p => p.Name).ToList();
        if (missing.Count > 0) return (400, Error("Sender", "ValidationError", $"Parameters: [{string.Join(", ", missing)}] must have values"));
        foreach (var (key, value) in parameters)
            if (template.Parameter(key)!.Violation(value) is { } why)
                return (400, Error("Sender", "ValidationError", $"Parameter '{key}' failed to satisfy constraint: {why}"));

        var namesIam = template.Document["Resources"]!.AsObject().Any(r =>
            r.Value!["Type"]!.GetValue<string>().StartsWith("AWS::IAM::", StringComparison.Ordinal) &&
            r.Value["Properties"] is JsonObject p && (p.ContainsKey("RoleName") || p.ContainsKey("ManagedPolicyName")));
        if (namesIam && !request.Values("Capabilities").Contains("CAPABILITY_NAMED_IAM"))
            return (400, Error("Sender", "InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_NAMED_IAM]"));

        var tags = request.Pairs("Tags", "Key", "Value");
        if (tags.Count > 50) return (400, Error("Sender", "ValidationError", "Number of tags exceeds the limit of 50"));
        if (tags.Any(t => t.Item1.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)))
            return (400, Error("Sender", "ValidationError", "Invalid tag key: the aws: prefix is reserved"));
        return null;
    }

    private static Stack Build(Dictionary<string, string> form, string region, string id, string status)
    {
        var request = new RecordedRequest("", region, form);
        var template = new CfnTemplate("request", form["TemplateBody"]);
        // CloudFormation records every declared parameter, defaults included.
        var given = request.Pairs("Parameters", "ParameterKey", "ParameterValue").ToDictionary(p => p.Item1, p => p.Item2);
        var parameters = template.Parameters.Select(p => (p.Name, given.GetValueOrDefault(p.Name) ?? p.Default!)).ToList();
        return new Stack(form["StackName"], region, id, form["TemplateBody"], parameters,
                         request.Pairs("Tags", "Key", "Value"), request.Values("Capabilities"), status);
    }

    /// <summary>Exports of the stacks in <paramref name="region"/>: Export.Name → output value.</summary>
    private Dictionary<string, string> Exports(string region)
    {
        var exports = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stack in _stacks.Values.Where(s => s.Region == region && s.Template.Length > 0))
        {
            var document = CfnYaml.Parse(stack.Template);
            var resolver = Resolver(stack, document);
            foreach (var (_, output) in document["Outputs"]?.AsObject() ?? [])
                if (output!["Export"]?["Name"] is { } exportName && (output["Condition"] is not { } c || resolver.Condition(c.GetValue<string>())))
                    exports[resolver.Resolve(exportName)!.GetValue<string>()] = resolver.Resolve(output["Value"])!.GetValue<string>();
        }
        return exports;
    }

    // Resolving the resources evaluates every Fn::ImportValue that the stack's conditions keep.
    private string? MissingImport(Stack stack)
    {
        try
        {
            _ = new TemplateResolver(CfnYaml.Parse(stack.Template), stack.Parameters.ToDictionary(p => p.Item1, p => p.Item2),
                                     stack.Region, stack.Name, Exports(stack.Region)).Resources();
            return null;
        }
        catch (TemplateResolver.MissingExportException e)
        {
            return e.Message;
        }
    }

    // Outputs and exports here never import, so they resolve without the other stacks' exports.
    private static TemplateResolver Resolver(Stack stack, JsonObject document) =>
        new(document, stack.Parameters.ToDictionary(p => p.Item1, p => p.Item2), stack.Region, stack.Name);

    private static IEnumerable<(string, string)> Outputs(Stack stack)
    {
        if (stack.Template.Length == 0) yield break;
        var document = CfnYaml.Parse(stack.Template);
        var resolver = Resolver(stack, document);
        foreach (var (name, output) in document["Outputs"]?.AsObject() ?? [])
        {
            if (output!["Condition"] is { } c && !resolver.Condition(c.GetValue<string>())) continue;
            yield return (name, resolver.Resolve(output["Value"])!.GetValue<string>());
        }
    }

    private static string StackId(string region, string name) =>
        $"arn:aws:cloudformation:{region}:{TemplateResolver.AccountId}:stack/{name}/{Guid.NewGuid()}";

    private static string Result(string action, string inner) =>
        $"<{action}Response xmlns=\"{Namespace}\"><{action}Result>{inner}</{action}Result>" +
        $"<ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata></{action}Response>";

    private static string Error(string type, string code, string message) =>
        $"<ErrorResponse xmlns=\"{Namespace}\"><Error><Type>{type}</Type><Code>{code}</Code><Message>{X(message)}</Message></Error>" +
        $"<RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>";

    private static string X(string text) => SecurityElement.Escape(text);

    private static void Respond(HttpListenerContext context, int status, string xml)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=[^/]+/\d{8}/(?<region>[a-z0-9-]+)/(?<service>[a-z0-9-]+)/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$")]
    private static partial Regex SignatureScope();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Close(); // not Stop first: see LoopbackHttpServer.Dispose (a second unregistering binds the port again)
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
