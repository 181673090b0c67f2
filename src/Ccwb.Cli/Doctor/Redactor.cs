using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ccwb.Cli.Doctor;

/// <summary>
/// Takes secrets out of everything doctor prints or writes to a report: every value it has learnt is secret (client
/// secrets of config.json, secret-named environment variables, credentials of the live call), the password part of
/// URLs, and anything shaped like a JSON web token. Control characters go too, as for all text from outside.
/// </summary>
internal sealed partial class Redactor
{
    public const string Mask = "[REDACTED]";

    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);

    /// <summary>Names of settings and variables whose values are secrets (client_secret, AWS_SESSION_TOKEN, …).</summary>
    [GeneratedRegex("secret|token|password|passwd|private_key|access_key|session_key|api_key|^authorization$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?<=://)[^/@\s:]+:[^/@\s]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlCredentials();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex JsonWebToken();

    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    /// <summary>Remembers a value that must never appear; very short values are ignored (they would mask ordinary text).</summary>
    public void AddSecret(string? value)
    {
        if (value is { Length: >= 4 }) _secrets.Add(value);
    }

    /// <summary>Remembers the values of every secret-named variable of <paramref name="variables"/>.</summary>
    public void AddSecretVariables(IEnumerable<KeyValuePair<string, string>> variables)
    {
        foreach (var (name, value) in variables)
            if (IsSecretName(name)) AddSecret(value);
    }

    /// <summary>The text without secrets and control characters, ready for a terminal or a report.</summary>
    public string Clean(string text)
    {
        // Longest first, so a secret that contains another is masked whole.
        foreach (var secret in _secrets.OrderByDescending(s => s.Length))
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        text = UrlCredentials().Replace(text, Mask + "@");
        text = JsonWebToken().Replace(text, Mask);
        return TerminalText.Clean(text);
    }

    /// <summary>A copy of a JSON document with the value of every secret-named property masked, at any depth.</summary>
    public static JsonNode? MaskSecretProperties(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (name, value) in obj)
                    copy[name] = IsSecretName(name) && value is not null and not JsonObject and not JsonArray ? Mask : MaskSecretProperties(value);
                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(MaskSecretProperties)]);
            default:
                return node?.DeepClone();
        }
    }
}
