namespace Ccwb.CredentialProcess;

/// <summary>
/// The flags of credential-process, parsed with Go's <c>flag</c> rules so installed wrappers keep working: <c>-x</c>
/// and <c>--x</c> are the same, <c>--x=value</c> works, parsing stops at the first non-flag argument.
/// </summary>
/// <remarks>Hand-written instead of System.CommandLine to keep the cached path's start-up cost near zero.</remarks>
internal sealed class CommandLine
{
    public string? ShortProfile { get; private set; }
    public string? LongProfile { get; private set; }
    public string? GetTag { get; private set; }
    public HashSet<string> Switches { get; } = new(StringComparer.Ordinal);

    public bool Has(string name) => Switches.Contains(name);

    /// <summary>Switches of later features: accepted so the surface matches upstream, refused with a clear message when used.</summary>
    public static readonly string[] NotYetSupported =
        ["explain", "show-tags", "show-claims", "get-mcp-auth-header", "desktop", "login", "get-tag"];

    private static readonly HashSet<string> BooleanFlags = new(StringComparer.Ordinal)
    {
        "version", "v", "help", "h", "set-client-secret", "explain", "clear-cache", "show-tags", "show-claims", "get-monitoring-token",
        "get-mcp-auth-header", "desktop", "check-expiration", "refresh-if-needed", "login",
    };

    private static readonly HashSet<string> ValueFlags = new(StringComparer.Ordinal) { "profile", "p", "get-tag" };

    /// <summary>Parses <paramref name="args"/>; on a bad flag returns null and sets <paramref name="error"/>.</summary>
    public static CommandLine? Parse(string[] args, out string? error)
    {
        var result = new CommandLine();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--") break;
            if (arg.Length < 2 || arg[0] != '-') break;
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            string? inlineValue = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inlineValue = name[(equals + 1)..];
                name = name[..equals];
            }
            if (BooleanFlags.Contains(name))
            {
                var on = inlineValue is null || inlineValue is "true" or "1" or "t" or "T" or "TRUE" or "True";
                if (inlineValue is not null && !on && inlineValue is not ("false" or "0" or "f" or "F" or "FALSE" or "False"))
                {
                    error = $"invalid boolean value \"{inlineValue}\" for -{name}";
                    return null;
                }
                if (on) result.Switches.Add(Canonical(name));
                else result.Switches.Remove(Canonical(name));
                continue;
            }
            if (ValueFlags.Contains(name))
            {
                var value = inlineValue;
                if (value is null)
                {
                    if (i + 1 >= args.Length)
                    {
                        error = $"flag needs an argument: -{name}";
                        return null;
                    }
                    value = args[++i];
                }
                switch (name)
                {
                    case "p": result.ShortProfile = value; break;
                    case "profile": result.LongProfile = value; break;
                    default:
                        result.GetTag = value;
                        result.Switches.Add("get-tag");
                        break;
                }
                continue;
            }
            error = $"flag provided but not defined: -{name}";
            return null;
        }
        return result;
    }

    private static string Canonical(string name) => name switch { "v" => "version", "h" => "help", _ => name };

    public const string Usage = """
        Usage: credential-process [flags]

        AWS credential_process helper for Claude Code with Amazon Bedrock: signs in through your identity provider
        and prints temporary AWS credentials as one JSON line on stdout.

        Flags:
          -p, --profile NAME        profile in config.json (default: $CCWB_PROFILE or ClaudeCode; a single-profile
                                    config.json is used whatever the name)
          -v, --version             print version and commit
          --get-monitoring-token    print the id token used for telemetry (signs in if needed)
          --clear-cache             forget cached AWS credentials and the refresh token
          --check-expiration        exit 0 if ~/.aws/credentials holds valid credentials for the profile, else 1
          --refresh-if-needed       print nothing if the cached credentials are valid, else sign in (session storage)
          --set-client-secret       store the Entra ID client secret ($CCWB_CLIENT_SECRET or a prompt)
          -h, --help                show this help

        Exit status: 0 success, 1 failure, 2 bad flags.
        """;
}
