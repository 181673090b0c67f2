using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Bedrock;
using Ccwb.Contract.Providers;
using Ccwb.Profiles;
using Ccwb.Profiles.Validation;

namespace Ccwb.Cli.Init;

/// <summary>
/// The answers given so far, kept as a profile document (the keys of <c>~/.ccwb/profiles/&lt;name&gt;.json</c>), and
/// the profile they make once the values the wizard works out for itself are added (stack names, provider type, the
/// model's regions).
/// </summary>
internal sealed class Answers(string profileName, JsonObject document, bool managed)
{
    public string ProfileName { get; } = profileName;

    /// <summary>The answers as given (what the progress file keeps).</summary>
    public JsonObject Document { get; } = document;

    /// <summary><c>--managed</c>: Claude Code settings go to the managed (machine-wide) location.</summary>
    public bool Managed { get; } = managed;

    public JsonNode? Get(string key) => Document[key];

    public string? Text(string key) =>
        Document[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public bool Flag(string key, bool otherwise) =>
        Document[key] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : otherwise;

    public bool Has(string key) => Document[key] is not null;

    public void Set(string key, JsonNode? value) => Document[key] = value?.DeepClone();

    public Answers With(string key, JsonNode? value)
    {
        var copy = new Answers(ProfileName, (JsonObject)Document.DeepClone(), Managed);
        copy.Set(key, value);
        return copy;
    }

    // What later questions branch on.
    public string AuthType => Text("auth_type") ?? "oidc";
    public bool Oidc => AuthType == "oidc";
    public string? ProviderType => Text("provider_type") ?? (Oidc ? ProviderDetection.FromDomain(Text("provider_domain")) : null);
    public string Region => Text("aws_region") ?? "";
    public AwsPartition Partition => AwsPartitions.ForRegion(Region);
    public bool CoworkEnabled => Flag("cowork_3p_enabled", true);
    public bool MonitoringCentral => Flag("monitoring_enabled", true) && Text("monitoring_mode") == "central";
    public bool QuotaEnabled => Flag("quota_monitoring_enabled", false);
    public string SettingsTarget => Managed ? "managed" : Text("settings_target") ?? "user";

    /// <summary>The model and inference profile of <c>selected_model</c>, if it is in the catalogue.</summary>
    public (ClaudeModel Model, InferenceProfile Profile)? SelectedModel => ModelCatalogue.FindByModelId(Text("selected_model"));

    /// <summary>The answers plus everything derived from them: the profile document that is written.</summary>
    public JsonObject ProfileDocument()
    {
        var d = (JsonObject)Document.DeepClone();
        d["name"] = ProfileName;
        d["auth_type"] = AuthType;
        d["sso_enabled"] = Oidc;
        if (Oidc && d["provider_type"] is null && ProviderType is { } type) d["provider_type"] = type;

        if (Text("identity_pool_name") is { Length: > 0 } baseName && d["stack_names"] is null)
            d["stack_names"] = new JsonObject
            {
                ["auth"] = $"{baseName}-stack",
                ["monitoring"] = $"{baseName}-monitoring",
                ["dashboard"] = $"{baseName}-dashboard",
                ["analytics"] = $"{baseName}-analytics",
            };

        if (SelectedModel is { } selected)
        {
            d["cross_region_profile"] ??= selected.Profile.ProfileKey;
            // Requests are sent from the source region, so it belongs in the IAM region allow-list with the regions
            // Bedrock serves them from (upstream listed the destinations only); the all-commercial sentinel is expanded.
            if (d["allowed_bedrock_regions"] is null)
            {
                var regions = new SortedSet<string>(selected.Profile.ExpandedDestinationRegions, StringComparer.Ordinal);
                if (Text("selected_source_region") is { Length: > 0 } source) regions.Add(source);
                d["allowed_bedrock_regions"] = new JsonArray([.. regions.Select(r => (JsonNode)r)]);
            }
        }

        if (Managed) d["settings_target"] = "managed";
        // Analytics read what the central collector writes.
        if (!MonitoringCentral && d["analytics_enabled"] is null) d["analytics_enabled"] = false;
        // Claude Desktop authenticates to the central collector with a token made once per profile.
        if (CoworkEnabled && MonitoringCentral && string.IsNullOrEmpty(Text("cowork_service_token")))
            d["cowork_service_token"] = Guid.NewGuid().ToString();
        return d;
    }

    /// <summary>The profile the answers make, or the errors of values that have the wrong type for their key.</summary>
    public ProfileLoadResult Profile() => ProfileLoader.Read(ProfileDocument().ToJsonString(), ProfileName);

    /// <summary>
    /// What is wrong with <paramref name="value"/> as the answer to <paramref name="question"/>, or null: a required
    /// answer left blank, a value not among the choices, else what the profile rules say about the key.
    /// </summary>
    public string? Check(Question question, JsonNode? value)
    {
        if (value is null) return question.Optional ? null : "is required";
        // The rules' own message first (it says more than the list of choices).
        var with = With(question.Key, value);
        var candidate = with.Profile();
        if (candidate.Profile is null)
        {
            if (candidate.Errors.FirstOrDefault(e => Concerns(e, question.Key)) is { } own) return own.Message;
            // Another key has a value of the wrong type (reported on its own); judge this one without it.
            foreach (var other in candidate.Errors) with.Document.Remove(other.Field);
            candidate = with.Profile();
            if (candidate.Profile is null) return null;
        }
        var errors = ProfileValidator.Validate(candidate.Profile)
            .Where(m => m.Severity == Severity.Error && Concerns(m, question.Key)).Select(m => m.Message).Distinct().ToList();
        if (errors.Count > 0) return string.Join("; ", errors);
        return ChoiceProblem(question, value);
    }

    /// <summary>"must be one of …" when the value is not among the question's choices, else null.</summary>
    public string? ChoiceProblem(Question question, JsonNode value) =>
        question.Choices?.Invoke(this) is { Count: > 0 } choices && value is JsonValue v &&
        v.GetValueKind() == JsonValueKind.String && !choices.Any(c => c.Value == v.GetValue<string>())
            ? $"must be one of {string.Join(", ", choices.Select(c => c.Value))}"
            : null;

    public static bool Concerns(ProfileMessage message, string key) =>
        message.Field == key || message.Field.StartsWith(key + ".", StringComparison.Ordinal);

    /// <summary>
    /// Turns typed text into the stored value (null for a blank answer), or says why it cannot be one. Yes/no and pick-list
    /// answers are not typed: their prompts return the value.
    /// </summary>
    public static (JsonNode? Value, string? Error) Parse(Question question, string text)
    {
        text = text.Trim();
        if (text.Length == 0) return (null, null);
        switch (question.Kind)
        {
            case AnswerKind.Number:
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole)) return (whole, null);
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return (number, null);
                // Left as text: the profile rules report the key's expected type.
                return (text, null);
            case AnswerKind.Pairs:
                var pairs = new JsonObject();
                foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var equals = item.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0) return (null, $"write Key=Value pairs separated by commas ('{item}' has no key)");
                    pairs[item[..equals].Trim()] = item[(equals + 1)..].Trim();
                }
                return (pairs, null);
            default:
                return (Normalize(question.Key, text), null);
        }
    }

    // Spellings the administrator may paste that mean the same value.
    public static string Normalize(string key, string text) => key switch
    {
        // A domain may be pasted as a URL; the profile keeps host and path (Entra ID's tenant path included).
        "provider_domain" => StripScheme(text).Trim('/'),
        "oidc_thumbprint" => text.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant(),
        "idc_start_url" or "oidc_issuer_url" => text.TrimEnd('/'),
        _ => text,
    };

    private static string StripScheme(string text)
    {
        foreach (var scheme in (string[])["https://", "http://"])
            if (text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return text[scheme.Length..];
        return text;
    }

    /// <summary>A value of the answers file or of <c>--set</c>: JSON when it parses as JSON, else the text itself.</summary>
    public static JsonNode? FromOption(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
