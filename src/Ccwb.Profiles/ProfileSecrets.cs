namespace Ccwb.Profiles;

/// <summary>
/// The profile fields that hold secrets: Google's OAuth client secret and Claude Desktop's service token. Everything
/// else in a profile (client ids, pool ids, role and secret ARNs) identifies resources but grants nothing, so it
/// travels in exports. Upstream's <c>config export</c> redacted those identifiers yet wrote both secrets in clear.
/// </summary>
public static class ProfileSecrets
{
    public const string ClientSecret = "client_secret";
    public const string CoworkServiceToken = "cowork_service_token";

    /// <summary>The JSON names of the secret fields.</summary>
    public static IReadOnlyList<string> Fields { get; } = [ClientSecret, CoworkServiceToken];

    /// <summary>The secret fields that hold a value in <paramref name="profile"/>.</summary>
    public static IReadOnlyList<string> SetIn(DeploymentProfile profile) =>
        [.. Fields.Where(field => !string.IsNullOrEmpty(ValueOf(profile, field)))];

    /// <summary>The profile with every secret field cleared (to their defaults: no secret).</summary>
    public static DeploymentProfile Without(DeploymentProfile profile) =>
        profile with { ClientSecret = null, CoworkServiceToken = "" };

    private static string? ValueOf(DeploymentProfile profile, string field) => field switch
    {
        ClientSecret => profile.ClientSecret,
        CoworkServiceToken => profile.CoworkServiceToken,
        _ => null,
    };
}
