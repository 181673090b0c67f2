using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ccwb.Testing.Peers;

namespace Ccwb.Credentials.Tests.Peers;

/// <summary>
/// The EC2 instance metadata service on 127.0.0.1 with IMDSv2 required (<c>HttpTokens: required</c>), as AWS runs it:
/// <c>PUT /latest/api/token</c> with <c>X-aws-ec2-metadata-token-ttl-seconds</c> (1 to 21600) issues a session token,
/// refused when the request carries <c>X-Forwarded-For</c> (a proxied request); every GET without a token it issued,
/// or with one past its TTL, is answered 401. The instance profile's role and its credentials document are served
/// under <c>/latest/meta-data/iam/security-credentials/</c>.
/// </summary>
public sealed class InstanceMetadataPeer : IDisposable
{
    public const string Role = "ClaudeCodeInstanceRole";

    private readonly LoopbackHttpServer server;
    private readonly ConcurrentDictionary<string, DateTimeOffset> tokens = new();
    private readonly ConcurrentQueue<string> calls = new();

    public InstanceMetadataPeer()
    {
        Endpoint = $"http://127.0.0.1:{AwsPeer.FreePort()}";
        server = new LoopbackHttpServer(Endpoint + "/", HandleAsync);
    }

    public string Endpoint { get; }
    public string IssuedAccessKeyId { get; } = "ASIAINSTANCE" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
    public string IssuedSecretAccessKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));
    public string IssuedSessionToken { get; } = "IQoJb3JpZ2luX2Vj" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(300));
    /// <summary>Refuse to issue session tokens (a PUT that never reaches the service, as beyond the hop limit).</summary>
    public bool RefuseTokens { get; set; }
    /// <summary>Each request as "METHOD path status".</summary>
    public IReadOnlyList<string> Calls => calls.ToList();

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        var (status, body) = request.HttpMethod switch
        {
            "PUT" when path == "/latest/api/token" => IssueToken(request),
            "GET" when !HasValidToken(request) => (401, ""),
            "GET" => Get(path),
            _ => (405, ""),
        };
        calls.Enqueue($"{request.HttpMethod} {path} {status}");
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private (int, string) IssueToken(HttpListenerRequest request)
    {
        if (RefuseTokens || request.Headers["X-Forwarded-For"] is not null) return (403, "");
        if (!int.TryParse(request.Headers["X-aws-ec2-metadata-token-ttl-seconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var ttl) ||
            ttl is < 1 or > 21600)
            return (400, "");
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(42));
        tokens[token] = DateTimeOffset.UtcNow.AddSeconds(ttl);
        return (200, token);
    }

    private bool HasValidToken(HttpListenerRequest request) =>
        request.Headers["X-aws-ec2-metadata-token"] is { } token && tokens.TryGetValue(token, out var expires) && expires > DateTimeOffset.UtcNow;

    private (int, string) Get(string path) => path switch
    {
        "/latest/meta-data/iam/security-credentials/" => (200, Role),
        "/latest/meta-data/iam/security-credentials/" + Role => (200, new JsonObject
        {
            ["Code"] = "Success",
            ["LastUpdated"] = Timestamp(DateTimeOffset.UtcNow),
            ["Type"] = "AWS-HMAC",
            ["AccessKeyId"] = IssuedAccessKeyId,
            ["SecretAccessKey"] = IssuedSecretAccessKey,
            ["Token"] = IssuedSessionToken,
            ["Expiration"] = Timestamp(DateTimeOffset.UtcNow.AddHours(6)),
        }.ToJsonString()),
        _ => (404, ""),
    };

    private static string Timestamp(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public void Dispose() => server.Dispose();
}
