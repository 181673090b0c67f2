namespace Ccwb.Bedrock;

/// <summary>The catalogue's rows. A class of its own so its static region lists exist before the rows are built.</summary>
internal static class ModelTable
{
    // Region groups reused by many profiles. Source regions are where a caller may send a request; destinations are
    // where Bedrock may serve it. Where they differ (e.g. us-west-1 for some "us" profiles), the IAM region
    // allow-list must still contain the source region.
    private static readonly string[] UsCanada = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1"];
    private static readonly string[] UsCanadaServedWithoutUsWest1 = ["us-east-1", "us-east-2", "us-west-2", "ca-central-1", "ca-west-1"];
    private static readonly string[] UsFour = ["us-east-1", "us-east-2", "us-west-1", "us-west-2"];
    private static readonly string[] UsThree = ["us-east-1", "us-east-2", "us-west-2"];
    private static readonly string[] EuCore = ["eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"];
    private static readonly string[] EuWide = ["eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3"];
    private static readonly string[] ApacSources = ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2"];
    private static readonly string[] ApacDestinations = [.. ApacSources, "ap-southeast-4"];
    private static readonly string[] Australia = ["ap-southeast-2", "ap-southeast-4"];
    private static readonly string[] Japan = ["ap-northeast-1", "ap-northeast-3"];
    private static readonly string[] GovCloud = ["us-gov-west-1", "us-gov-east-1"];

    // Every commercial region a global profile serves (the expansion of all-commercial).
    private static readonly string[] GlobalCommercial =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
        "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
        "me-central-1", "me-south-1", "af-south-1", "il-central-1", "sa-east-1",
    ];

    // Newest global profiles also accept requests from regions Bedrock does not serve them in.
    private static readonly string[] GlobalNewestSources = [.. GlobalCommercial, "ap-southeast-5", "ap-southeast-7", "mx-central-1"];

    // The eighteen regions of the first global profiles.
    private static readonly string[] GlobalFirst =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-4",
    ];

    private static readonly string[] AllCommercialSentinel = [BedrockRegions.AllCommercial];

    public static ClaudeModel[] Build() =>
    [
        Model("sonnet-5", "Claude Sonnet 5", "anthropic.claude-sonnet-5",
            (CrossRegionProfiles.Us, UsCanada, UsCanadaServedWithoutUsWest1),
            (CrossRegionProfiles.Global, GlobalNewestSources, AllCommercialSentinel),
            (CrossRegionProfiles.Eu, EuWide, EuWide),
            (CrossRegionProfiles.Apac, ApacSources, ApacDestinations)),
        Model("sonnet-4-6", "Claude Sonnet 4.6", "anthropic.claude-sonnet-4-6",
            (CrossRegionProfiles.Us, UsCanada, UsCanadaServedWithoutUsWest1),
            (CrossRegionProfiles.Global, GlobalNewestSources, AllCommercialSentinel),
            (CrossRegionProfiles.Eu, EuWide, EuWide),
            (CrossRegionProfiles.Au, Australia, Australia),
            (CrossRegionProfiles.Jp, Japan, Japan)),
        Model("sonnet-4-5", "Claude Sonnet 4.5", "anthropic.claude-sonnet-4-5-20250929-v1:0",
            (CrossRegionProfiles.Us, UsFour, UsFour),
            (CrossRegionProfiles.Eu, EuWide, EuWide),
            (CrossRegionProfiles.Jp, Japan, Japan),
            (CrossRegionProfiles.Global, GlobalCommercial, GlobalCommercial),
            (CrossRegionProfiles.Au, Australia, Australia)),
        Model("sonnet-4-5-govcloud", "Claude Sonnet 4.5 (GovCloud)", "anthropic.claude-sonnet-4-5-20250929-v1:0",
            (CrossRegionProfiles.UsGov, GovCloud, GovCloud)),
        Model("sonnet-4", "Claude Sonnet 4", "anthropic.claude-sonnet-4-20250514-v1:0",
            (CrossRegionProfiles.Us, UsThree, UsThree),
            (CrossRegionProfiles.Eu, EuCore, EuCore),
            (CrossRegionProfiles.Apac, ApacSources, ApacDestinations),
            (CrossRegionProfiles.Global, GlobalFirst, GlobalFirst)),
        Model("sonnet-3-7", "Claude 3.7 Sonnet", "anthropic.claude-3-7-sonnet-20250219-v1:0",
            (CrossRegionProfiles.Us, UsThree, UsThree),
            (CrossRegionProfiles.Eu, EuCore, EuCore),
            (CrossRegionProfiles.Apac, ApacSources, ApacDestinations)),
        Model("sonnet-3-7-govcloud", "Claude 3.7 Sonnet (GovCloud)", "anthropic.claude-3-7-sonnet-20250219-v1:0",
            (CrossRegionProfiles.UsGov, GovCloud, GovCloud)),
        Model("opus-4-8", "Claude Opus 4.8", "anthropic.claude-opus-4-8",
            (CrossRegionProfiles.Us, UsCanada, UsCanada),
            (CrossRegionProfiles.Global, GlobalCommercial, GlobalCommercial),
            (CrossRegionProfiles.Eu, EuWide, EuWide)),
        Model("opus-4-8-govcloud", "Claude Opus 4.8 (GovCloud)", "anthropic.claude-opus-4-8",
            (CrossRegionProfiles.UsGov, GovCloud, GovCloud)),
        Model("opus-4-7", "Claude Opus 4.7", "anthropic.claude-opus-4-7",
            (CrossRegionProfiles.Us, UsCanada, UsCanada),
            (CrossRegionProfiles.Global, GlobalCommercial, GlobalCommercial),
            (CrossRegionProfiles.Eu, EuWide, EuWide)),
        Model("opus-4-6", "Claude Opus 4.6", "anthropic.claude-opus-4-6-v1",
            (CrossRegionProfiles.Us, UsCanada, UsCanada),
            (CrossRegionProfiles.Eu, EuWide, EuWide),
            (CrossRegionProfiles.Au, Australia, Australia),
            (CrossRegionProfiles.Global, GlobalCommercial, GlobalCommercial)),
        Model("opus-4-5", "Claude Opus 4.5", "anthropic.claude-opus-4-5-20251101-v1:0",
            (CrossRegionProfiles.Us, UsCanada, UsCanadaServedWithoutUsWest1),
            (CrossRegionProfiles.Global, GlobalNewestSources, AllCommercialSentinel),
            (CrossRegionProfiles.Eu, EuWide, EuWide)),
        Model("opus-4-1", "Claude Opus 4.1", "anthropic.claude-opus-4-1-20250805-v1:0",
            (CrossRegionProfiles.Us, UsThree, UsThree)),
        Model("opus-4", "Claude Opus 4", "anthropic.claude-opus-4-20250514-v1:0",
            (CrossRegionProfiles.Us, UsThree, UsThree)),
        Model("haiku-4-5", "Claude Haiku 4.5", "anthropic.claude-haiku-4-5-20251001-v1:0",
            (CrossRegionProfiles.Us, UsCanada, UsCanadaServedWithoutUsWest1),
            (CrossRegionProfiles.Global, GlobalNewestSources, AllCommercialSentinel),
            (CrossRegionProfiles.Eu, EuWide, EuWide),
            (CrossRegionProfiles.Au, Australia, Australia),
            (CrossRegionProfiles.Jp, Japan, Japan)),
        Model("fable-5", "Claude Fable 5", "anthropic.claude-fable-5",
            (CrossRegionProfiles.Us, UsCanada, UsCanada),
            (CrossRegionProfiles.Global, GlobalNewestSources, AllCommercialSentinel),
            (CrossRegionProfiles.Eu, EuWide, EuWide)),
    ];

    private static ClaudeModel Model(string key, string name, string baseModelId,
                                     params (string Key, string[] Sources, string[] Destinations)[] profiles) =>
        new(key, name, baseModelId,
            [.. profiles.Select(p => new InferenceProfile(p.Key, baseModelId, Describe(p.Key), p.Sources, p.Destinations))]);

    private static string Describe(string profileKey) => profileKey switch
    {
        CrossRegionProfiles.Us => "US CRIS - US and Canada regions",
        CrossRegionProfiles.Eu => "EU CRIS - European regions",
        CrossRegionProfiles.Apac => "APAC CRIS - Asia-Pacific regions",
        CrossRegionProfiles.Au => "AU CRIS - Australia regions",
        CrossRegionProfiles.Jp => "JP CRIS - Japan regions",
        CrossRegionProfiles.Global => "Global CRIS - commercial AWS regions worldwide",
        CrossRegionProfiles.UsGov => "US-GOV CRIS - AWS GovCloud (US) regions",
        _ => throw new ArgumentOutOfRangeException(nameof(profileKey), profileKey, "unknown cross-region profile"),
    };
}
