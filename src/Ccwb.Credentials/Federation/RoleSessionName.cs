using System.Text;
using Ccwb.Credentials.Jwt;

namespace Ccwb.Credentials.Federation;

/// <summary>
/// The STS RoleSessionName (it appears in CloudTrail and the cost report as the principal): the email, else
/// <c>claude-code-</c> + subject, else <c>claude-code</c>; characters STS refuses become <c>-</c>.
/// </summary>
public static class RoleSessionName
{
    public static string From(JwtClaims claims)
    {
        if (!string.IsNullOrEmpty(claims.Email)) return Truncate(Sanitize(claims.Email), 64);
        if (!string.IsNullOrEmpty(claims.Subject)) return "claude-code-" + Truncate(Sanitize(claims.Subject), 32);
        return "claude-code";
    }

    private static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value) builder.Append(char.IsAsciiLetterOrDigit(c) || "_+=,.@-".Contains(c, StringComparison.Ordinal) ? c : '-');
        return builder.ToString();
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
