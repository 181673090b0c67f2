using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ccwb.CloudFormation.Output;

/// <summary>Writes indented JSON with '\n' line endings on every OS, so generated files are byte-identical everywhere.</summary>
internal static class JsonText
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
               {
                   Indented = true,
                   NewLine = "\n",
                   // Keep '+', '<' and non-ASCII readable in review; these files never end up in HTML.
                   Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
               }))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
