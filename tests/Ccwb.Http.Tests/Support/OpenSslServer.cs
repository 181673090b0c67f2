using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Ccwb.Testing;
using Ccwb.Testing.Processes;

namespace Ccwb.Http.Tests.Support;

/// <summary>
/// OpenSSL's own test server (<c>openssl s_server -www</c>) on 127.0.0.1, for protocol versions .NET's SslStream
/// will not offer: SslStream keeps OpenSSL's default security level, which forbids TLS 1.0 and 1.1, while s_server
/// can lower it. It answers every request with an HTTP/1.0 status page.
/// </summary>
internal sealed class OpenSslServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly TempDirectory directory;

    private OpenSslServer(Process process, TempDirectory directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <param name="protocol">An s_server protocol switch such as <c>-tls1_1</c> or <c>-tls1_2</c>.</param>
    public static async Task<OpenSslServer> StartAsync(X509Certificate2 leaf, string protocol)
    {
        var directory = new TempDirectory("ccwb-s-server");
        var cert = directory.Combine("cert.pem");
        var key = directory.Combine("key.pem");
        await File.WriteAllTextAsync(cert, leaf.ExportCertificatePem());
        await File.WriteAllTextAsync(key, leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var start = new ProcessStartInfo("openssl",
            ["s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key, protocol, "-cipher", "DEFAULT:@SECLEVEL=0", "-www"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var accept = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            // "ACCEPT 127.0.0.1:<port>" once it listens
            if (e.Data?.StartsWith("ACCEPT ", StringComparison.Ordinal) == true)
                accept.TrySetResult(int.Parse(e.Data[(e.Data.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(accept.Task, Task.Delay(TimeSpan.FromSeconds(10))) != accept.Task)
        {
            process.Kill();
            directory.Dispose();
            throw new InvalidOperationException("openssl s_server did not start");
        }
        return new OpenSslServer(process, directory, await accept.Task);
    }

    /// <summary>
    /// The protocol OpenSSL's own client negotiates when it allows only <paramref name="protocol"/>, or null; with
    /// <paramref name="config"/>, under that OpenSSL configuration and its cipher list instead of a lowered one.
    /// </summary>
    public string? NegotiatedBy(string protocol, string? config = null)
    {
        string[] arguments = config is null
            ? ["s_client", "-connect", $"127.0.0.1:{Port}", protocol, "-cipher", "DEFAULT:@SECLEVEL=0"]
            : ["s_client", "-connect", $"127.0.0.1:{Port}", protocol];
        var result = Run.Tool("openssl", arguments, standardInput: "", timeoutSeconds: 20,
            environment: config is null ? null : new Dictionary<string, string?> { ["OPENSSL_CONF"] = config });
        var line = result.Output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("Protocol  :", StringComparison.Ordinal));
        return line?.Split(':')[1].Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
        directory.Dispose();
    }
}
