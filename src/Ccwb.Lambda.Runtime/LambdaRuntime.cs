using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ccwb.Lambda.Runtime;

// Hand-written rather than Amazon.Lambda.RuntimeSupport: the Amazon.Lambda.* packages are not served by the package
// registry this toolkit builds from. The Runtime API is small and documented (AWS Lambda Developer Guide, "Using the
// Lambda runtime API for custom runtimes"): this file is all of it that a function needs. Everything here is AOT-safe
// (no reflection; the one JSON shape goes through a source-generated context).

/// <summary>One invocation as the Runtime API hands it over.</summary>
/// <param name="Payload">The event, as the raw JSON bytes Lambda sent.</param>
/// <param name="Deadline">When Lambda stops the invocation (<c>Lambda-Runtime-Deadline-Ms</c>).</param>
public sealed record LambdaInvocation(string RequestId, byte[] Payload, DateTimeOffset Deadline, string? FunctionArn, string? TraceId);

/// <summary>A handler's failure that Lambda reports as the invocation's error (type and message, no stack trace).</summary>
public sealed class LambdaFunctionException(string errorType, string message) : Exception(message)
{
    public string ErrorType { get; } = errorType;
}

/// <summary>
/// The custom-runtime loop: <c>GET /2018-06-01/runtime/invocation/next</c>, run the handler, then
/// <c>POST …/invocation/{id}/response</c> or <c>…/error</c>; a failure before the first invocation goes to
/// <c>POST …/runtime/init/error</c> and ends the process (Lambda then restarts the environment).
/// </summary>
public sealed class LambdaRuntime : IDisposable
{
    private const string ApiVersion = "2018-06-01";
    private readonly HttpClient http;
    private readonly Uri baseUri;

    /// <param name="runtimeApi">host:port from <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    public LambdaRuntime(string runtimeApi)
    {
        baseUri = new Uri($"http://{runtimeApi}/{ApiVersion}/runtime/");
        // The next-invocation call blocks until there is work (the environment may be frozen in between): no timeout.
        // The Runtime API is a local endpoint: never through a proxy.
        http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>
    /// Runs a function: <paramref name="initialize"/> once, then <c>handler</c> for each invocation, until
    /// <paramref name="stop"/> is cancelled or the Runtime API goes away. Returns the process exit code.
    /// </summary>
    public static async Task<int> RunAsync<THandler>(Func<THandler> initialize, Func<THandler, LambdaInvocation, CancellationToken, Task<byte[]>> handle,
        CancellationToken stop = default)
    {
        var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrEmpty(api))
        {
            Console.Error.WriteLine("error: AWS_LAMBDA_RUNTIME_API: not set; this program runs as an AWS Lambda function (custom runtime).");
            return 1;
        }
        using var runtime = new LambdaRuntime(api);
        THandler handler;
        try
        {
            handler = initialize();
        }
        catch (Exception e)
        {
            await runtime.PostInitErrorAsync(e, stop);
            return 1;
        }
        return await runtime.LoopAsync(invocation => handle(handler, invocation, stop), stop);
    }

    /// <summary>Serves invocations until cancelled or the Runtime API stops answering.</summary>
    public async Task<int> LoopAsync(Func<LambdaInvocation, Task<byte[]>> handle, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await NextAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return 0;
            }
            catch (HttpRequestException e)
            {
                // The Runtime API is gone: the environment is shutting down.
                Console.Error.WriteLine($"error: runtime API: {e.Message}");
                return 1;
            }
            string path;
            byte[] body;
            string? errorType = null;
            try
            {
                body = await handle(invocation);
                path = $"invocation/{invocation.RequestId}/response";
            }
            catch (Exception e)
            {
                errorType = ErrorTypeOf(e);
                Console.Error.WriteLine($"error: invocation {invocation.RequestId}: {errorType}: {e.Message}");
                (path, body) = ($"invocation/{invocation.RequestId}/error", ErrorBody(e));
            }
            try
            {
                await PostAsync(path, body, errorType, stop);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                if (stop.IsCancellationRequested) return 0;
                Console.Error.WriteLine($"error: runtime API: {e.Message}");
                return 1;
            }
        }
        return 0;
    }

    private async Task<LambdaInvocation> NextAsync(CancellationToken stop)
    {
        using var response = await http.GetAsync(new Uri(baseUri, "invocation/next"), stop);
        response.EnsureSuccessStatusCode();
        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new HttpRequestException("the next invocation has no Lambda-Runtime-Aws-Request-Id");
        var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UtcNow.AddSeconds(3);
        var traceId = Header(response, "Lambda-Runtime-Trace-Id");
        // The X-Ray SDK and the AWS SDK read the trace header from this variable, set per invocation.
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", traceId);
        var payload = await response.Content.ReadAsByteArrayAsync(stop);
        return new LambdaInvocation(requestId, payload, deadline, Header(response, "Lambda-Runtime-Invoked-Function-Arn"), traceId);
    }

    private async Task PostInitErrorAsync(Exception e, CancellationToken stop)
    {
        Console.Error.WriteLine($"error: initialization: {ErrorTypeOf(e)}: {e.Message}");
        try
        {
            await PostAsync("init/error", ErrorBody(e), ErrorTypeOf(e), stop);
        }
        catch (HttpRequestException report)
        {
            Console.Error.WriteLine($"error: runtime API: {report.Message}");
        }
    }

    private async Task PostAsync(string path, byte[] body, string? errorType, CancellationToken stop)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, path)) { Content = content };
        if (errorType is not null) request.Headers.Add("Lambda-Runtime-Function-Error-Type", errorType);
        using var response = await http.SendAsync(request, stop);
        // 413 (response too large) and 400/403 are Lambda's to report; the loop goes on to the next invocation.
        if (response.StatusCode != HttpStatusCode.Accepted)
            Console.Error.WriteLine($"error: runtime API: POST {path}: HTTP {(int)response.StatusCode}");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string ErrorTypeOf(Exception e) => e is LambdaFunctionException f ? f.ErrorType : "Runtime." + e.GetType().Name;

    private static byte[] ErrorBody(Exception e) =>
        JsonSerializer.SerializeToUtf8Bytes(new LambdaError(e.Message, ErrorTypeOf(e)), LambdaRuntimeJson.Default.LambdaError);

    public void Dispose() => http.Dispose();
}

/// <summary>The error document the Runtime API takes (<c>errorMessage</c>, <c>errorType</c>).</summary>
public sealed record LambdaError(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType);

[JsonSerializable(typeof(LambdaError))]
internal sealed partial class LambdaRuntimeJson : JsonSerializerContext;
