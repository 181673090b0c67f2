using System.Text;
using System.Xml;
using Ccwb.Profiles;
using Ccwb.Rendering.Cowork;

namespace Ccwb.Rendering.Writers;

/// <summary>
/// <c>cowork-3p.mobileconfig</c>: an XML property list with one configuration profile holding one
/// <c>com.anthropic.claudefordesktop</c> preferences payload. Every key is a <c>&lt;string&gt;</c>, as Claude Desktop
/// reads them. Unlike upstream, the PayloadUUIDs are stable (name-based) and the organisation, identifier and scope
/// come from the profile.
/// </summary>
public static class MobileconfigWriter
{
    public const string PreferenceDomain = "com.anthropic.claudefordesktop";

    private static ReadOnlySpan<byte> Prologue =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n"u8;

    public static byte[] Write(DeploymentProfile profile, CoworkPolicy policy)
    {
        var org = profile.OrganizationIdentifier!;
        var identifier = $"{org}.claude-cowork-bedrock";
        // The same hive rule as the Windows files, so one profile never installs machine-wide on one OS and per user on the other.
        var scope = WindowsPolicyWriter.MachineWide(profile) ? "System" : "User";

        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "\t",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
            OmitXmlDeclaration = true,
            ConformanceLevel = ConformanceLevel.Fragment,
        };
        // The fixed prologue is written as Apple's tools write it: upper-case encoding name, and the root <dict> not
        // indented under <plist> (XmlWriter would write "utf-8" and indent it). Everything variable goes through
        // XmlWriter, which escapes it.
        stream.Write(Prologue);
        using (var xml = XmlWriter.Create(stream, settings))
        {
            xml.WriteStartElement("dict");

            xml.WriteElementString("key", "PayloadContent");
            xml.WriteStartElement("array");
            xml.WriteStartElement("dict");
            Entry(xml, "PayloadType", PreferenceDomain);
            Entry(xml, "PayloadUUID", Uuid(org, profile.Name, PreferenceDomain));
            Entry(xml, "PayloadIdentifier", $"{identifier}.{PreferenceDomain}");
            Entry(xml, "PayloadDisplayName", "Claude Cowork - Bedrock Configuration");
            xml.WriteElementString("key", "PayloadVersion");
            xml.WriteElementString("integer", "1");
            foreach (var setting in policy.Settings) Entry(xml, setting.Name, setting.MdmString);
            xml.WriteEndElement();
            xml.WriteEndElement();

            Entry(xml, "PayloadDescription", $"Configures Claude Desktop to use Amazon Bedrock (profile {profile.Name}).");
            Entry(xml, "PayloadDisplayName", "Claude Cowork with Amazon Bedrock");
            Entry(xml, "PayloadIdentifier", identifier);
            Entry(xml, "PayloadOrganization", profile.OrganizationName!);
            Entry(xml, "PayloadScope", scope);
            Entry(xml, "PayloadType", "Configuration");
            Entry(xml, "PayloadUUID", Uuid(org, profile.Name, "Configuration"));
            xml.WriteElementString("key", "PayloadVersion");
            xml.WriteElementString("integer", "1");

            xml.WriteEndElement();
        }
        stream.Write("\n</plist>\n"u8);
        return stream.ToArray();
    }

    /// <summary>Stable per organisation, profile and payload, so re-importing replaces rather than duplicates.</summary>
    public static string Uuid(string organizationIdentifier, string profileName, string payload) =>
        NameBasedUuid.Create(NameBasedUuid.UrlNamespace, $"mobileconfig:{organizationIdentifier}/{profileName}/{payload}");

    private static void Entry(XmlWriter xml, string key, string value)
    {
        xml.WriteElementString("key", key);
        xml.WriteElementString("string", value);
    }
}
