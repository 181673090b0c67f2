using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;
using Ccwb.Testing.Peers;

namespace Ccwb.Functions.Tests.Peers;

/// <summary>
/// CloudWatch's PromQL query API and SNS's Publish on 127.0.0.1, checking what AWS checks: a SigV4 signature made with
/// the function role's secret, for the right service and region (403 otherwise). PromQL answers the series the test
/// sets that the query's <c>"user.email"=~</c> matcher selects (fully anchored, as PromQL anchors regexes), at most
/// 500 of them (or the request's smaller <c>limit</c>) and without saying so when it leaves some out, as CloudWatch
/// does; SNS records each
/// message.
/// </summary>
public sealed partial class CloudWatchSnsPeer : IDisposable
{
    public const string AccessKey = "ASIAMONITORROLE";
    public const string Secret = "monitor-role-secret";
    public const string Region = "us-east-1";
    private readonly LoopbackHttpServer server;

    public CloudWatchSnsPeer()
    {
        Endpoint = $"http://127.0.0.1:{AwsPeer.FreePort()}";
        server = new LoopbackHttpServer(Endpoint + "/", HandleAsync);
    }

    public string Endpoint { get; }

    /// <summary>The series the next PromQL queries answer: user, type, model, tokens.</summary>
    public List<(string User, string Type, string Model, long Tokens)> Series { get; } = [];

    public ConcurrentQueue<string> Queries { get; } = new();
    public ConcurrentQueue<(string TopicArn, string Subject, string Message)> Published { get; } = new();
    public ConcurrentQueue<string> Refused { get; } = new();

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.InputStream.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var form = HttpUtility.ParseQueryString(Encoding.UTF8.GetString(body));
        var service = request.Url!.AbsolutePath == "/api/v1/query" ? "monitoring" : "sns";
        var scope = (request.Headers["Authorization"] ?? "").Split("Credential=", 2) is [_, var credential] ? credential.Split(',')[0].Split('/') : [];
        var verified = SigV4.Verify(request, body, key => key == AccessKey ? Secret : null);
        if (!verified.Valid || scope.Length != 5 || scope[2] != Region || scope[3] != service)
        {
            Refused.Enqueue($"{service}: {(verified.Valid ? "scope " + string.Join('/', scope) : verified.Reason)}");
            await ReplyAsync(context.Response, 403, """{"message":"The request signature we calculated does not match the signature you provided."}""");
            return;
        }
        if (service == "monitoring")
        {
            var query = form["query"] ?? "";
            Queries.Enqueue(query);
            var cap = int.TryParse(form["limit"], out var limit) && limit is >= 1 and <= 500 ? limit : 500;
            var userMatcher = UserMatcher().Match(query) is { Success: true } m
                ? new Regex("^(?s:" + Regex.Replace(m.Groups[1].Value, @"\\(.)", "$1") + ")$", RegexOptions.CultureInvariant)
                : null;
            var result = new JsonArray();
            foreach (var (user, type, model, tokens) in Series.Where(s => userMatcher is null || userMatcher.IsMatch(s.User)).Take(cap))
                result.Add(new JsonObject
                {
                    ["metric"] = new JsonObject { ["user.email"] = user, ["type"] = type, ["model"] = model },
                    ["value"] = new JsonArray(1_764_000_000, tokens.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                });
            await ReplyAsync(context.Response, 200, new JsonObject
            {
                ["status"] = "success", ["data"] = new JsonObject { ["resultType"] = "vector", ["result"] = result },
            }.ToJsonString());
            return;
        }
        if (form["Action"] != "Publish" || string.IsNullOrEmpty(form["TopicArn"]) || string.IsNullOrEmpty(form["Message"]))
        {
            await ReplyAsync(context.Response, 400, "<ErrorResponse><Error><Code>InvalidParameter</Code></Error></ErrorResponse>");
            return;
        }
        Published.Enqueue((form["TopicArn"]!, form["Subject"] ?? "", form["Message"]!));
        await ReplyAsync(context.Response, 200,
            "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>");
    }

    private static async Task ReplyAsync(HttpListenerResponse response, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    public void Dispose() => server.Dispose();

    // The regex of a "user.email"=~"..." matcher inside a PromQL selector (a double-quoted string, backslash escapes).
    [GeneratedRegex(@"""user\.email""\s*=~\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex UserMatcher();
}
