namespace Ccwb.CloudFormation.Templates;

/// <summary>The templates this toolkit deploys, read from the assembly (sources: deployment/cloudformation/).</summary>
public static class TemplateLibrary
{
    public const string AuthOidc = "bedrock-auth-oidc.yaml";
    public const string AuthIdc = "bedrock-auth-idc.yaml";
    public const string DistributionBucket = "distribution-bucket.yaml";
    public const string QuotaService = "quota-service.yaml";
    public const string Networking = "networking.yaml";
    public const string OtelCollector = "otel-collector.yaml";
    public const string ClaudeCodeDashboard = "claude-code-dashboard.yaml";
    public const string CoworkDashboard = "cowork-dashboard.yaml";
    public const string AnalyticsPipeline = "analytics-pipeline.yaml";

    public static IReadOnlyList<string> FileNames { get; } =
        [AuthOidc, AuthIdc, DistributionBucket, Networking, OtelCollector, ClaudeCodeDashboard, CoworkDashboard, AnalyticsPipeline, QuotaService];

    private static readonly Dictionary<string, Lazy<CfnTemplate>> Templates =
        FileNames.ToDictionary(n => n, n => new Lazy<CfnTemplate>(() => new CfnTemplate(n, ReadBody(n))));

    public static CfnTemplate Get(string fileName) =>
        Templates.TryGetValue(fileName, out var t) ? t.Value : throw new ArgumentException($"no template {fileName}", nameof(fileName));

    private static string ReadBody(string fileName)
    {
        using var stream = typeof(TemplateLibrary).Assembly.GetManifestResourceStream("templates/" + fileName)
                           ?? throw new InvalidOperationException($"template {fileName} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
