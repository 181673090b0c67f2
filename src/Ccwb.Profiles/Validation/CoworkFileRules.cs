namespace Ccwb.Profiles.Validation;

/// <summary>What the Claude Desktop (Cowork) MDM files of the requested formats need from the profile.</summary>
internal static class CoworkFileRules
{
    public static void Check(DeploymentProfile p, ValidationReport r)
    {
        if (p.MonitoringEnabled && p.MonitoringMode != "sidecar" && Blank(p.OtelCollectorEndpoint))
            r.Need("otel_collector_endpoint",
                "monitoring is enabled in central mode but no collector endpoint is set (deploy the monitoring stack first)");
        if (p.WebSearchEnabled && p.EffectiveAuthType != "idc" && Blank(p.WebsearchGatewayUrl))
            r.Need("websearch_gateway_url", "web search needs the gateway URL (an output of the websearch stack)");
        if (p.Cowork3pExtraKeys.Any(k => Blank(k.Key)))
            r.Error("cowork_3p_extra_keys", "a key name is empty");

        // Only the .mobileconfig carries the organisation (payload identifiers and the publisher shown in System
        // Settings); the JSON, .reg, ADMX and PowerShell formats do not ask for it.
        if (r.CoworkFormats.HasFlag(CoworkFormats.Mobileconfig))
        {
            if (Blank(p.OrganizationIdentifier))
                r.Need("organization_identifier",
                    $"the .mobileconfig needs a reverse-DNS identifier; add \"organization_identifier\": \"{ExampleIdentifier(p)}\" to the profile");
            if (Blank(p.OrganizationName))
                r.Need("organization_name",
                    $"the .mobileconfig names the organisation that publishes it; add \"organization_name\": \"{ExampleName(p)}\" to the profile");
        }
    }

    /// <summary>
    /// A reverse-DNS identifier made from the profile, for the message: the organisation's name, else the identity
    /// provider's host reversed (example.okta.com → com.okta.example), else com.example.
    /// </summary>
    internal static string ExampleIdentifier(DeploymentProfile p)
    {
        var name = new string((p.OrganizationName ?? "").ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        if (name.Length > 0 && char.IsAsciiLetter(name[0])) return "com." + name;
        var host = Host(p.ProviderDomain) ?? Host(p.OidcIssuerUrl) ?? Host(p.IdcStartUrl);
        return host is null ? "com.example" : string.Join('.', host.Split('.').Reverse());
    }

    private static string ExampleName(DeploymentProfile p)
    {
        var identifier = ExampleIdentifier(p).Split('.');
        var last = identifier[^1];
        return identifier.Length > 1 && last.Length > 0 ? char.ToUpperInvariant(last[0]) + last[1..] : "Example";
    }

    private static string? Host(string? value)
    {
        if (Blank(value)) return null;
        var text = value!.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "https://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !uri.Host.Contains('.', StringComparison.Ordinal)) return null;
        var host = uri.Host.ToLowerInvariant();
        return Patterns.ReverseDns().IsMatch(host) ? host : null;
    }

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);
}
