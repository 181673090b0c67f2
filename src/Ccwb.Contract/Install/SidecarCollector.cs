namespace Ccwb.Contract.Install;

/// <summary>
/// The local OpenTelemetry Collector of a sidecar-mode install: the package carries <c>otelcol-&lt;platform&gt;</c> and the
/// rendered <see cref="ConfigFileName"/>; install.sh / install.bat copy both into the install folder beside otel-helper,
/// and add the AWS profile <see cref="AwsProfile"/>; otel-helper starts the collector from there.
/// </summary>
public static class SidecarCollector
{
    /// <summary>The collector's configuration, rendered per profile: the one source of its settings.</summary>
    public const string ConfigFileName = "collector-config.yaml";

    /// <summary>The installed collector program (with <c>.exe</c> on Windows).</summary>
    public const string ProgramName = "otelcol";

    /// <summary>The AWS profile the collector signs its exports with; its <c>credential_process</c> is credential-process.</summary>
    public static string AwsProfile(string profile) => profile + "-collector";
}
