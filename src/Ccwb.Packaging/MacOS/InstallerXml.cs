using System.Globalization;
using System.Text;
using System.Xml;

namespace Ccwb.Packaging.MacOS;

/// <summary>
/// The two XML files Installer reads: the product's <c>Distribution</c> (what productbuild writes) and the component
/// package's <c>PackageInfo</c> (what pkgbuild writes). Element and attribute names are those of Apple's Distribution
/// XML and PackageInfo references.
/// </summary>
public static class InstallerXml
{
    /// <summary>
    /// The oldest macOS the package installs on: the oldest that the .NET runtime of the programs supports.
    /// </summary>
    public const string MinimumMacOs = "13.0";

    public static byte[] Distribution(MacPackageSpec spec, string componentFileName, long installKBytes) => Write(xml =>
    {
        xml.WriteStartElement("installer-gui-script");
        xml.WriteAttributeString("minSpecVersion", "2");
        xml.WriteElementString("title", $"Claude Code with Amazon Bedrock ({spec.ProfileName})");
        xml.WriteStartElement("options");
        xml.WriteAttributeString("customize", "never");
        xml.WriteAttributeString("require-scripts", "false");
        xml.WriteAttributeString("rootVolumeOnly", "true");
        // Both architectures: the payload carries each program for each (postinstall installs the right one).
        xml.WriteAttributeString("hostArchitectures", "arm64,x86_64");
        xml.WriteEndElement();
        // Machine-wide only: the programs and managed settings live in system folders.
        xml.WriteStartElement("domains");
        xml.WriteAttributeString("enable_anywhere", "false");
        xml.WriteAttributeString("enable_currentUserHome", "false");
        xml.WriteAttributeString("enable_localSystem", "true");
        xml.WriteEndElement();
        xml.WriteStartElement("volume-check");
        xml.WriteStartElement("allowed-os-versions");
        xml.WriteStartElement("os-version");
        xml.WriteAttributeString("min", MinimumMacOs);
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteStartElement("choices-outline");
        xml.WriteStartElement("line");
        xml.WriteAttributeString("choice", "default");
        xml.WriteStartElement("line");
        xml.WriteAttributeString("choice", spec.Identifier);
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteStartElement("choice");
        xml.WriteAttributeString("id", "default");
        xml.WriteEndElement();
        xml.WriteStartElement("choice");
        xml.WriteAttributeString("id", spec.Identifier);
        xml.WriteAttributeString("visible", "false");
        xml.WriteStartElement("pkg-ref");
        xml.WriteAttributeString("id", spec.Identifier);
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteStartElement("pkg-ref");
        xml.WriteAttributeString("id", spec.Identifier);
        xml.WriteAttributeString("version", spec.Version);
        xml.WriteAttributeString("onConclusion", "none");
        xml.WriteAttributeString("installKBytes", installKBytes.ToString(CultureInfo.InvariantCulture));
        xml.WriteString("#" + componentFileName);
        xml.WriteEndElement();
        xml.WriteEndElement();
    });

    public static byte[] PackageInfo(MacPackageSpec spec, int numberOfFiles, long installKBytes, IReadOnlyList<string> scripts) => Write(xml =>
    {
        xml.WriteStartElement("pkg-info");
        xml.WriteAttributeString("format-version", "2");
        xml.WriteAttributeString("identifier", spec.Identifier);
        xml.WriteAttributeString("version", spec.Version);
        xml.WriteAttributeString("install-location", "/");
        xml.WriteAttributeString("auth", "root");
        xml.WriteAttributeString("overwrite-permissions", "true");
        xml.WriteAttributeString("relocatable", "false");
        xml.WriteStartElement("payload");
        xml.WriteAttributeString("numberOfFiles", numberOfFiles.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("installKBytes", installKBytes.ToString(CultureInfo.InvariantCulture));
        xml.WriteEndElement();
        foreach (var empty in EmptyPackageInfoElements)
            xml.WriteElementString(empty, null);
        xml.WriteStartElement("scripts");
        foreach (var script in scripts)
        {
            xml.WriteStartElement(script);
            xml.WriteAttributeString("file", "./" + script);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
    });

    private static readonly string[] EmptyPackageInfoElements =
        ["bundle-version", "upgrade-bundle", "update-bundle", "atomic-update-bundle", "strict-identifier", "relocate"];

    private static byte[] Write(Action<XmlWriter> body)
    {
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "    ",
            NewLineChars = "\n",
        }))
        {
            xml.WriteStartDocument();
            body(xml);
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }
}
