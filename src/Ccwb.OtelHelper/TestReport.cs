using System.Text;
using Ccwb.Credentials.Jwt;

namespace Ccwb.OtelHelper;

/// <summary>The <c>--test</c> report: the headers as sent, then the telemetry attributes they stand for.</summary>
internal static class TestReport
{
    // Header → OpenTelemetry resource attribute, in upstream's order.
    private static readonly (string Header, string Attribute)[] Attributes =
    [
        ("x-user-email", "user.email"), ("x-user-id", "user.id"), ("x-user-name", "user.name"),
        ("x-organization", "organization.id"), ("x-department", "department"), ("x-team-id", "team.id"),
        ("x-cost-center", "cost_center"), ("x-manager", "manager"), ("x-location", "location"), ("x-role", "role"),
        ("x-project", "project"),
    ];

    public static string Format(IReadOnlyDictionary<string, string> headers, JwtClaims? claims)
    {
        var text = new StringBuilder("===== TEST MODE OUTPUT =====\n");
        foreach (var (name, value) in headers)
            text.Append(DisplayName(name)).Append(": ").Append(Terminal.Printable(value)).Append('\n');
        text.Append("\n===== Extracted Attributes =====\n");
        foreach (var (header, attribute) in Attributes)
            text.Append(attribute).Append(": ").Append(Terminal.Printable(headers.GetValueOrDefault(header) ?? "")).Append('\n');
        if (claims is not null)
        {
            text.Append("account_uuid: ").Append(Terminal.Printable(string.Join(",", claims.Audiences()))).Append('\n');
            text.Append("issuer: ").Append(Terminal.Printable(claims.Issuer ?? "")).Append('\n');
            text.Append("subject: ").Append(Terminal.Printable(claims.Subject ?? "")).Append('\n');
        }
        text.Append("service.name: claude-code\n");
        return text.ToString();
    }

    /// <summary><c>x-user-id</c> → <c>X-User-ID</c>, as upstream prints them.</summary>
    private static string DisplayName(string header)
    {
        var name = header.StartsWith("x-", StringComparison.Ordinal) ? "X-" + header[2..] : header;
        if (name.EndsWith("-id", StringComparison.Ordinal)) name = name[..^3] + "-ID";
        return string.Join('-', name.Split('-').Select(p => p.Length == 0 || p == "ID" ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }
}

/// <summary>Text from tokens and files is shown on a terminal only without control characters.</summary>
internal static class Terminal
{
    public static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text) builder.Append(char.IsControl(c) ? '?' : c);
        return builder.ToString();
    }
}
