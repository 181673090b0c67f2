using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ccwb.Credentials.Interop.Linux;

/// <summary>
/// How upstream's Go helper (through the 99designs keyring library) kept a secret on Linux: an item with the single
/// attribute <c>profile</c> = key in the <c>claude-code-with-bedrock</c> collection, whose secret is this JSON with the
/// value base64-encoded in <c>Data</c>. Read so that an installed upstream layout (e.g. a stored Azure client secret)
/// keeps working after the switch.
/// </summary>
internal sealed record UpstreamKeyringItem(string Key, byte[] Data)
{
    public const string AttributeName = "profile";

    public static byte[]? TryDecode(byte[] secret)
    {
        try
        {
            return JsonSerializer.Deserialize(secret, UpstreamKeyringJsonContext.Default.UpstreamKeyringItem)?.Data;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(UpstreamKeyringItem))]
internal sealed partial class UpstreamKeyringJsonContext : JsonSerializerContext;
