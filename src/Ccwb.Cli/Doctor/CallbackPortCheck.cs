using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ccwb.Credentials.Config;

namespace Ccwb.Cli.Doctor;

/// <summary>
/// The port the browser sign-in returns to is free on 127.0.0.1 and ::1, the addresses the helper listens on;
/// another program there makes every sign-in fail.
/// </summary>
internal sealed class CallbackPortCheck : IDiagnostic
{
    public string Name => "callback port";

    public DiagnosticResult Run(DoctorContext context)
    {
        if (context.Profile is { } profile && (profile.IsIdentityCenter || profile.IsPassthrough))
            return DiagnosticResult.Skipped("this profile does not sign in through a browser callback");
        // The helper's own order: REDIRECT_PORT, then the profile's redirect_port, then 8400.
        var port = int.TryParse(context.Environment("REDIRECT_PORT"), NumberStyles.None, CultureInfo.InvariantCulture, out var set) && set is > 0 and <= 65535
            ? set
            : context.Profile?.RedirectPort ?? ProfileConfig.DefaultRedirectPort;
        foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            var listener = new TcpListener(address, port);
            try
            {
                listener.Start();
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                return DiagnosticResult.Fail($"port {port} on {address} is in use by another program, so sign-in cannot receive the browser's answer",
                    $"Stop the program listening on port {port} (find it with 'lsof -i :{port}' or 'netstat -ano | findstr {port}'), then sign in again.");
            }
            catch (SocketException)
            {
                // No IPv6 on this computer: the helper then listens on 127.0.0.1 alone.
            }
            finally
            {
                listener.Stop();
            }
        }
        return DiagnosticResult.Pass($"port {port} is free on 127.0.0.1 and ::1");
    }
}
