using YamlDotNet.RepresentationModel;

namespace Ccwb.Rendering.Tests;

/// <summary>collector-config.yaml for sidecar monitoring: valid YAML with one metrics pipeline to CloudWatch.</summary>
public class CollectorConfigTests
{
    [Fact]
    public void Sidecar_profiles_get_a_collector_config_exporting_to_their_region_with_sigv4()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(ExampleProfiles.Text("cognito-user-pool", "collector-config.yaml")));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        string At(params string[] path)
        {
            YamlNode node = root;
            foreach (var key in path) node = ((YamlMappingNode)node)[key];
            return ((YamlScalarNode)node).Value!;
        }
        Assert.Equal("https://monitoring.us-east-1.amazonaws.com", At("exporters", "otlphttp", "endpoint"));
        Assert.Equal("sigv4auth", At("exporters", "otlphttp", "auth", "authenticator"));
        Assert.Equal("us-east-1", At("extensions", "sigv4auth", "region"));
        Assert.Equal("localhost:4318", At("receivers", "otlp", "protocols", "http", "endpoint"));
        var actions = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)root["processors"])["resource/identity"])["attributes"];
        Assert.Contains(actions, a => ((YamlScalarNode)((YamlMappingNode)a)["key"]).Value == "team.id" &&
                                      ((YamlScalarNode)((YamlMappingNode)a)["from_context"]).Value == "metadata.x-team-id");
    }

    [Theory]
    [InlineData("okta-direct")] // central collector
    [InlineData("google")] // monitoring off
    public void Other_profiles_get_none(string profile) =>
        Assert.DoesNotContain(ExampleProfiles.Render(profile), f => f.Path == "collector-config.yaml");
}
