using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ccwb.Testing.Peers;

namespace Ccwb.Credentials.Tests.Peers;

/// <summary>
/// The container credentials endpoint (ECS task role / EKS Pod Identity agent) on 127.0.0.1: answers GET with the
/// task role's credentials document only when the <c>Authorization</c> header carries the agent's token.
/// </summary>
public sealed class ContainerCredentialsPeer : IDisposable
{
    private readonly HttpListener listener = new();
    private int requests;

    public ContainerCredentialsPeer()
    {
        Url = $"http://127.0.0.1:{AwsPeer.FreePort()}/v2/credentials/task";
        listener.Prefixes.Add(new Uri(Url).GetLeftPart(UriPartial.Authority) + "/");
        listener.Start();
        _ = ServeAsync();
    }

    public string Url { get; }
    public string AuthorizationToken { get; } = "agent-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    public string IssuedAccessKeyId { get; } = "ASIACONTAINER" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
    public int Requests => requests;

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            Interlocked.Increment(ref requests);
            var authorised = context.Request.Headers["Authorization"] == AuthorizationToken && context.Request.Url!.AbsolutePath == new Uri(Url).AbsolutePath;
            var body = authorised
                ? new JsonObject
                {
                    ["AccessKeyId"] = IssuedAccessKeyId, ["SecretAccessKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
                    ["Token"] = "IQoJb3JpZ2luX2Vj" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(300)),
                    ["Expiration"] = DateTimeOffset.UtcNow.AddHours(6).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    ["RoleArn"] = "arn:aws:iam::123456789012:role/TaskRole",
                }.ToJsonString()
                : "{\"code\":\"AccessDeniedException\",\"message\":\"Unauthorized\"}";
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = authorised ? 200 : 401;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose() => listener.Close();
}
