using Ccwb.Credentials.Federation;
using Ccwb.Http;

namespace Ccwb.Cli.Doctor;

/// <summary>
/// Each proxy variable that is set parses as the helper reads it (its own <see cref="ProxySelector"/>, one variable
/// at a time so a broken one is not hidden behind one that takes precedence), and says which way STS is reached.
/// </summary>
internal sealed class ProxyCheck : IDiagnostic
{
    private static readonly string[] ProxyVariables = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];

    public string Name => "proxy";

    public DiagnosticResult Run(DoctorContext context)
    {
        var set = ProxyVariables.Where(name => !string.IsNullOrWhiteSpace(context.Environment(name))).ToList();
        var noProxy = context.Environment("no_proxy") ?? context.Environment("NO_PROXY");
        if (set.Count == 0)
            return DiagnosticResult.Pass("no proxy variables are set: connections are direct");
        var probe = new Uri("https://sts.amazonaws.com/");
        foreach (var name in set)
        {
            var only = new ProxySelector(variable => variable == name ? context.Environment(name) : null);
            var url = name.Contains("http_", StringComparison.OrdinalIgnoreCase) && !name.Contains("https", StringComparison.OrdinalIgnoreCase)
                ? new Uri("http://sts.amazonaws.com/") : probe;
            try
            {
                only.ProxyFor(url);
            }
            catch (HttpTransportException e)
            {
                return DiagnosticResult.Fail($"{name}: {e.Message}", $"Set {name} to your proxy's address such as http://proxy.example.com:3128, or unset it.");
            }
        }
        var sts = SafeStsEndpoint(context);
        var via = new ProxySelector(context.Environment).ProxyFor(sts);
        var route = via is null ? $"{sts.Host} is reached directly (NO_PROXY)" : $"{sts.Host} is reached through {via.Host}:{via.Port}";
        var bypassed = noProxy?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length ?? 0;
        var bypass = bypassed == 0 ? "" : $"; NO_PROXY lists {bypassed} host(s) reached directly";
        return DiagnosticResult.Pass($"{string.Join(", ", set)} set; {route}{bypass}");
    }

    private static Uri SafeStsEndpoint(DoctorContext context)
    {
        try
        {
            return AwsEndpoints.Sts(context.Profile?.AwsRegion ?? "us-east-1", context.Environment);
        }
        catch (FederationException)
        {
            return new Uri("https://sts.amazonaws.com/");
        }
    }
}
