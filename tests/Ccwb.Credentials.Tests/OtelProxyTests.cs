using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Ccwb.Credentials.Tests.Support;
using Ccwb.Testing;
using Ccwb.Testing.Peers;
using Ccwb.Testing.Processes;

namespace Ccwb.Credentials.Tests;

/// <summary>
/// <c>otel-helper --proxy</c> between the OpenTelemetry JS exporters (the ones Claude Code uses) and an OTLP/HTTP
/// receiver in the tests that checks what CloudWatch checks: the SigV4 signature over the received bytes, for service
/// <c>monitoring</c> in the proxy's region, with the session token of credentials the test STS issued.
/// </summary>
[Trait(Requires.Trait, Requires.Unix)]
public class OtelProxyTests
{
    private const string Region = "eu-west-1";

    [Fact]
    public async Task Protobuf_and_json_exports_arrive_signed_with_the_users_attribution_headers()
    {
        await using var signedIn = await SignedInAsync();
        using var receiver = new OtlpReceiver(signedIn.Aws.Issued);
        await using var proxy = await ProxyProcess.StartAsync(signedIn.Box, receiver);

        foreach (var format in new[] { "proto", "json" })
        {
            var sent = await SendAsync(format, proxy.Url + "/v1/traces");
            Assert.True(sent.ExitCode == 0, sent + "\nproxy:\n" + proxy.Log);
        }

        Assert.Equal(2, receiver.Requests.Length);
        var (proto, json) = (receiver.Requests.First(), receiver.Requests.Last());
        Assert.Equal("application/x-protobuf", proto.ContentType);
        Assert.Equal("application/json", json.ContentType);
        Assert.Contains("\"resourceSpans\"", Encoding.UTF8.GetString(json.Body), StringComparison.Ordinal);
        foreach (var request in receiver.Requests)
        {
            Assert.Equal("/v1/traces", request.Path);
            Assert.True(request.Signature.Valid, request.Signature.Reason);
            Assert.Equal($"{Region}/monitoring/aws4_request", request.Scope);
            Assert.NotNull(request.Headers["X-Amz-Security-Token"]);
            Assert.Equal("alice@example.com", request.Headers["x-user-email"]);
            Assert.NotNull(request.Headers["x-user-id"]);
            // SigV4 authorises these requests: the id token is not sent on.
            Assert.StartsWith("AWS4-HMAC-SHA256 ", request.Headers["Authorization"], StringComparison.Ordinal);
            Assert.Contains("x-user-email", request.SignedHeaders);
        }
    }

    [Fact]
    public async Task Health_answers_ok_other_methods_are_refused_and_bad_requests_get_their_status()
    {
        await using var signedIn = await SignedInAsync();
        using var receiver = new OtlpReceiver(signedIn.Aws.Issued);
        await using var proxy = await ProxyProcess.StartAsync(signedIn.Box, receiver);

        Assert.StartsWith("HTTP/1.1 200 OK", await RawAsync(proxy.Port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"), StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok\n", await RawAsync(proxy.Port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 405 ", await RawAsync(proxy.Port, "PUT /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 400 ", await RawAsync(proxy.Port, "POST /v1/traces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 501 ", await RawAsync(proxy.Port, "POST /v1/traces HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"), StringComparison.Ordinal);
        // Refused from the declared length, before any of the body is read.
        Assert.StartsWith("HTTP/1.1 413 ", await RawAsync(proxy.Port, "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Length: 20971521\r\n\r\n"), StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_request_target_naming_another_host_is_refused_and_nothing_is_signed_for_it()
    {
        await using var signedIn = await SignedInAsync();
        using var receiver = new OtlpReceiver(signedIn.Aws.Issued);
        using var elsewhere = new OtlpReceiver(signedIn.Aws.Issued);
        await using var proxy = await ProxyProcess.StartAsync(signedIn.Box, receiver);

        var target = "/" + elsewhere.Url["http:".Length..] + "/v1/traces";
        var answer = await RawAsync(proxy.Port, $"POST {target} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{{}}");

        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task A_client_that_stalls_is_cut_off_after_the_read_limit_while_others_are_served()
    {
        await using var signedIn = await SignedInAsync();
        using var receiver = new OtlpReceiver(signedIn.Aws.Issued);
        await using var proxy = await ProxyProcess.StartAsync(signedIn.Box, receiver);

        using var slow = new TcpClient();
        var cancellation = TestContext.Current.CancellationToken;
        await slow.ConnectAsync(IPAddress.Loopback, proxy.Port, cancellation);
        var stream = slow.GetStream();
        await stream.WriteAsync("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n12345"u8.ToArray(), cancellation);
        var watch = Stopwatch.StartNew();

        var sent = await SendAsync("json", proxy.Url + "/v1/traces");
        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Single(receiver.Requests);

        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer, cancellation).AsTask().WaitAsync(TimeSpan.FromSeconds(90), cancellation);
        Assert.Equal(0, read);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(90));
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Upstream_answers_are_passed_back_and_an_unreachable_upstream_is_502()
    {
        await using var signedIn = await SignedInAsync();
        using var receiver = new OtlpReceiver(signedIn.Aws.Issued) { Status = 400, Answer = "{\"message\":\"bad batch\"}" };
        await using var proxy = await ProxyProcess.StartAsync(signedIn.Box, receiver);

        var answer = await RawAsync(proxy.Port, "POST /v1/metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/json", answer, StringComparison.Ordinal);
        Assert.EndsWith("{\"message\":\"bad batch\"}", answer, StringComparison.Ordinal);

        receiver.Dispose();
        Assert.StartsWith("HTTP/1.1 502 ", await RawAsync(proxy.Port, "POST /v1/metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_AWS_credentials_a_request_is_500_and_the_proxy_keeps_running()
    {
        using var box = new Sandbox();
        box.WriteConfig(new JsonObject());
        using var receiver = new OtlpReceiver(_ => null);
        await using var proxy = await ProxyProcess.StartAsync(box, receiver);

        Assert.StartsWith("HTTP/1.1 500 ", await RawAsync(proxy.Port, "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"), StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 ", await RawAsync(proxy.Port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"), StringComparison.Ordinal);
        Assert.Contains("warning: proxy: no AWS credentials to sign with: ", proxy.Log, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Status_reports_the_running_proxy_and_SIGTERM_stops_it_cleanly()
    {
        await using var signedIn = await SignedInAsync();
        using var receiver = new OtlpReceiver(signedIn.Aws.Issued);
        await using var proxy = await ProxyProcess.StartAsync(signedIn.Box, receiver, port: 4318);

        var status = await signedIn.Box.RunAsync(Sandbox.OtelHelper, ["--status"]);
        var json = JsonNode.Parse(status.Output)!;
        Assert.True(json["proxy"]!["listening"]!.GetValue<bool>(), status.ToString());
        Assert.Equal(4318, json["proxy"]!["port"]!.GetValue<int>());
        Assert.Equal("sigv4", json["proxy"]!["mode"]!.GetValue<string>());

        Assert.Equal(0, await proxy.StopAsync());
        Assert.Contains("signing proxy stopped", proxy.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--proxy" }, "", "error: --proxy-region: --proxy-region or AWS_REGION must be set")]
    [InlineData(new[] { "--proxy", "--proxy-region", Region, "--proxy-port", "70000" }, "", "error: --proxy-port: '70000' is not a port number (1-65535)")]
    [InlineData(new[] { "--proxy", "--proxy-region", Region }, "http://cloudwatch.example.com", "plain http")]
    public async Task Bad_settings_are_one_error_line_and_exit_1(string[] args, string endpoint, string expected)
    {
        using var box = new Sandbox();
        if (endpoint.Length > 0) box.Environment["AWS_ENDPOINT_URL_CLOUDWATCH"] = endpoint;
        var result = await box.RunAsync(Sandbox.OtelHelper, args);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_port_in_use_is_an_error()
    {
        using var box = new Sandbox();
        using var taken = new TcpListener(IPAddress.Loopback, AwsPeer.FreePort());
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var result = await box.RunAsync(Sandbox.OtelHelper, ["--proxy", "--proxy-region", Region, "--proxy-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: --proxy-port: cannot listen on 127.0.0.1:{port}", result.Error, StringComparison.Ordinal);
    }

    private sealed record SignedIn(OidcPeer Oidc, AwsPeer Aws, Sandbox Box) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Box.Dispose();
            Aws.Dispose();
            await Oidc.DisposeAsync();
        }
    }

    /// <summary>A user signed in through credential-process, whose AWS profile runs it, so the proxy signs as that user.</summary>
    private static async Task<SignedIn> SignedInAsync()
    {
        var oidc = await OidcPeer.StartAsync();
        var aws = new AwsPeer(oidc.Issuer, "claude-code-client");
        var box = new Sandbox();
        box.WriteConfig(new JsonObject { ["profiles"] = new JsonObject { ["ClaudeCode"] = box.Profile(oidc, aws) } });
        box.InstallCredentialProcess();
        box.WriteFile(".aws/config", $"[profile ClaudeCode]\ncredential_process = {box.HomePath("claude-code-with-bedrock", "credential-process")} --profile ClaudeCode\n");
        var signIn = await box.RunAsync();
        Assert.True(signIn.ExitCode == 0, signIn.ToString());
        return new SignedIn(oidc, aws, box);
    }

    private static Task<Run.Result> SendAsync(string format, string url) =>
        Run.ToolAsync("node", [Repo.PathOf("tests", "peers", "otlp-send.mjs"), format, url], Repo.PathOf("tests", "peers"), timeoutSeconds: 60);

    /// <summary>Sends raw bytes and reads the whole answer (the proxy closes each connection after one answer).</summary>
    private static async Task<string> RawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var answer = new MemoryStream();
        await stream.CopyToAsync(answer).WaitAsync(TimeSpan.FromSeconds(60));
        return Encoding.UTF8.GetString(answer.ToArray());
    }

    /// <summary>otel-helper --proxy running in the sandbox, forwarding to the receiver.</summary>
    private sealed class ProxyProcess : IAsyncDisposable
    {
        private readonly Process process;
        private readonly StringBuilder log = new();

        private ProxyProcess(Process process, int port)
        {
            this.process = process;
            Port = port;
        }

        public int Port { get; }
        public string Url => $"http://127.0.0.1:{Port}";
        public string Log { get { lock (log) return log.ToString(); } }

        public static async Task<ProxyProcess> StartAsync(Sandbox box, OtlpReceiver receiver, int? port = null)
        {
            var chosen = port ?? AwsPeer.FreePort();
            var start = new ProcessStartInfo(Sandbox.OtelHelper,
                ["--proxy", "--proxy-region", Region, "--proxy-port", chosen.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = box.Home,
            };
            start.Environment.Clear();
            foreach (var (name, value) in box.Environment) start.Environment[name] = value;
            start.Environment["AWS_ENDPOINT_URL_CLOUDWATCH"] = receiver.Url;
            var process = Process.Start(start)!;
            var proxy = new ProxyProcess(process, chosen);
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (proxy.log) proxy.log.AppendLine(e.Data);
                if (e.Data.Contains("signing proxy for profile", StringComparison.Ordinal)) ready.TrySetResult();
            };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (proxy.log) proxy.log.AppendLine(e.Data); };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(ready.Task.IsCompleted, "the proxy did not start:\n" + proxy.Log);
            return proxy;
        }

        public async Task<int> StopAsync()
        {
            Run.Checked("kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            process.WaitForExit(); // the output readers reach the end
            return process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited) await StopAsync();
            process.Dispose();
        }
    }

    /// <summary>An OTLP/HTTP receiver that accepts only requests CloudWatch would: SigV4 over the received body.</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly Func<string, (string Secret, string SessionToken)?> issued;
        private readonly ConcurrentQueue<Received> requests = new();

        public OtlpReceiver(Func<string, (string Secret, string SessionToken)?> issued)
        {
            this.issued = issued;
            Url = $"http://127.0.0.1:{AwsPeer.FreePort()}";
            listener.Prefixes.Add(Url + "/");
            listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Url { get; }
        public int Status { get; init; } = 200;
        public string Answer { get; init; } = "";
        public Received[] Requests => requests.ToArray();

        public sealed record Received(string Path, string? ContentType, NameValueHeaders Headers, byte[] Body, SigV4.Result Signature, string Scope,
            string SignedHeaders);

        private async Task LoopAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var bytes = body.ToArray();
                var signature = SigV4.Verify(context.Request, bytes, key => issued(key)?.Secret);
                var token = context.Request.Headers["X-Amz-Security-Token"];
                if (signature.Valid && issued(signature.AccessKeyId) is { } credentials && credentials.SessionToken != token)
                    signature = signature with { Valid = false, Reason = "the security token is not the one issued with the key" };
                var authorization = context.Request.Headers["Authorization"] ?? "";
                var scope = authorization.Split("Credential=", 2) is [_, var rest] ? string.Join('/', rest.Split(',')[0].Split('/')[2..]) : "";
                var signedHeaders = authorization.Split("SignedHeaders=", 2) is [_, var names] ? names.Split(',')[0] : "";
                if (signature.Valid)
                    requests.Enqueue(new Received(context.Request.Url!.AbsolutePath, context.Request.ContentType, new NameValueHeaders(context.Request.Headers),
                        bytes, signature, scope, signedHeaders));
                var answer = Encoding.UTF8.GetBytes(signature.Valid ? Answer : signature.Reason);
                context.Response.StatusCode = signature.Valid ? Status : 403;
                context.Response.ContentType = context.Request.ContentType ?? "application/json";
                await context.Response.OutputStream.WriteAsync(answer);
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            listener.Close(); // not Stop first: see LoopbackHttpServer.Dispose
        }
    }

    /// <summary>Received headers, by case-insensitive name.</summary>
    public sealed class NameValueHeaders(System.Collections.Specialized.NameValueCollection headers)
    {
        public string? this[string name] => headers[name];
    }
}
