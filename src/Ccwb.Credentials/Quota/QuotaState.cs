using System.Globalization;
using System.Text.Json;
using Ccwb.Contract.Files;
using Ccwb.Contract.Install;

namespace Ccwb.Credentials.Quota;

/// <summary>
/// When the quota was last checked for a profile: <c>~/claude-code-with-bedrock/.quota-state-&lt;profile&gt;.json</c>,
/// <c>{"last_check_unix":N}</c> (upstream's file). The cached credential path reads only this small file to learn
/// that no check is due.
/// </summary>
public sealed class QuotaState(string home, string profile)
{
    public string FilePath => Path.Combine(InstallLocations.UserFolder(home), $".quota-state-{profile}.json");

    /// <summary>True when no check was recorded, the record is unreadable, or <paramref name="interval"/> has passed since it.</summary>
    public bool IsDue(DateTimeOffset now, TimeSpan interval) =>
        LastCheck() is not { } last || now.ToUnixTimeSeconds() - last >= (long)interval.TotalSeconds || last > now.ToUnixTimeSeconds() + 300;

    /// <summary>The recorded time in Unix seconds, or null.</summary>
    /// <remarks>Parsed with <see cref="Utf8JsonReader"/> directly: no serializer metadata is built on the cached path.</remarks>
    public long? LastCheck()
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(FilePath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isLastCheck = reader.ValueTextEquals("last_check_unix"u8);
                if (!reader.Read()) return null;
                if (isLastCheck) return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : null;
                reader.Skip();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Records a check at <paramref name="now"/> (0600, replaced atomically).</summary>
    public void Save(DateTimeOffset now)
    {
        AtomicFile.CreatePrivateDirectory(Path.GetDirectoryName(FilePath)!);
        AtomicFile.WriteAllText(FilePath, "{\"last_check_unix\":" + now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "}");
    }
}
