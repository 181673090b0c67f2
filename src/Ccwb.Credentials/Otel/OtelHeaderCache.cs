using System.Text.Json;
using Ccwb.Contract.Files;
using Ccwb.Credentials.Json;
using Ccwb.Credentials.Storage;

namespace Ccwb.Credentials.Otel;

/// <summary>
/// The attribution headers cached per profile for otel-helper (and upstream's shell and PowerShell wrappers):
/// <c>&lt;profile&gt;-otel-headers.json</c> (<c>schema_version</c> 2, headers, <c>token_exp</c>, <c>cached_at</c>) and
/// <c>.raw</c> (the headers object alone). credential-process writes it after each sign-in, otel-helper after it
/// extracted headers itself. Both files are replaced atomically, so concurrent readers see the old or the new entry.
/// </summary>
public sealed class OtelHeaderCache(SessionPaths paths, string profile, TimeProvider clock)
{
    public const int SchemaVersion = 2;
    /// <summary>How long an empty entry stops otel-helper from asking for a token again.</summary>
    public static readonly TimeSpan EmptyEntryLifetime = TimeSpan.FromSeconds(120);

    public string JsonPath => Path.Combine(paths.SessionDirectory, $"{profile}-otel-headers.json");
    public string RawPath => Path.Combine(paths.SessionDirectory, $"{profile}-otel-headers.raw");

    /// <summary>
    /// The cached headers, or null for a miss: absent, unreadable, an older schema, no headers, or an empty entry
    /// past its <c>token_exp</c>. Populated headers are served after <c>token_exp</c> too: they describe the user, not
    /// the token, and re-signing in only for telemetry would be worse.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Read()
    {
        var entry = ReadEntry(out _);
        if (entry?.Headers is not { } headers || entry.SchemaVersion < SchemaVersion) return null;
        if (headers.Count == 0 && entry.TokenExp <= clock.GetUtcNow().ToUnixTimeSeconds()) return null;
        return headers;
    }

    /// <summary>Caches <paramref name="headers"/> (never the <c>authorization</c> header) until <paramref name="tokenExpires"/>.</summary>
    public void Write(IReadOnlyDictionary<string, string> headers, long tokenExpires)
    {
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers.OrderBy(h => h.Key, StringComparer.Ordinal))
            if (!string.Equals(name, AttributionHeaders.Authorization, StringComparison.OrdinalIgnoreCase)) stored[name] = value;
        var record = new OtelHeaderCacheRecord(SchemaVersion, stored, tokenExpires, clock.GetUtcNow().ToUnixTimeSeconds());
        // .raw first: a wrapper that finds the .json expects the .raw beside it.
        AtomicFile.WriteAllText(RawPath, JsonSerializer.Serialize(stored, CredentialJson.Default.DictionaryStringString));
        AtomicFile.WriteAllText(JsonPath, JsonSerializer.Serialize(record, CredentialJson.Default.OtelHeaderCacheRecord));
    }

    /// <summary>
    /// <see cref="Write"/> for a caller that has credentials to hand out: a cache that cannot be written is reported
    /// through <paramref name="debug"/> and otherwise ignored, since telemetry attribution must never cost the user
    /// their credentials.
    /// </summary>
    public void WriteOrReport(IReadOnlyDictionary<string, string> headers, long tokenExpires, Action<string> debug)
    {
        try
        {
            Write(headers, tokenExpires);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            debug($"Could not write the otel header cache: {e.Message}");
        }
    }

    /// <summary>
    /// Records "no identity yet" for <see cref="EmptyEntryLifetime"/>, so Claude Code's frequent calls do not each
    /// start a sign-in; only over nothing, an unusable entry or another empty one, never over real headers.
    /// </summary>
    public void WriteEmptyIfSafe()
    {
        var entry = ReadEntry(out var unreadable);
        if (unreadable) return;
        if (entry is not null && entry.SchemaVersion >= SchemaVersion && entry.Headers is { Count: > 0 }) return;
        Write(new Dictionary<string, string>(), (clock.GetUtcNow() + EmptyEntryLifetime).ToUnixTimeSeconds());
    }

    /// <param name="unreadable">True when a file exists but cannot be read or parsed (then it is not overwritten).</param>
    private OtelHeaderCacheRecord? ReadEntry(out bool unreadable)
    {
        unreadable = false;
        byte[] json;
        try
        {
            json = File.ReadAllBytes(JsonPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            unreadable = true;
            return null;
        }
        try
        {
            return Parse(json);
        }
        catch (Exception e) when (CachedRecordReader.IsMalformed(e))
        {
            unreadable = true;
            return null;
        }
    }

    /// <summary>The entry (a JSON <c>null</c> reads as an entry of no schema; see <see cref="CachedRecordReader"/>).</summary>
    private static OtelHeaderCacheRecord Parse(byte[] json)
    {
        using var document = CachedRecordReader.Parse(json);
        int schemaVersion = 0;
        long tokenExp = 0, cachedAt = 0;
        Dictionary<string, string>? headers = null;
        foreach (var property in CachedRecordReader.Properties(document))
        {
            switch (property.Name)
            {
                case "schema_version": schemaVersion = property.Value.GetInt32(); break;
                case "token_exp": tokenExp = property.Value.GetInt64(); break;
                case "cached_at": cachedAt = property.Value.GetInt64(); break;
                case "headers" when property.Value.ValueKind == JsonValueKind.Null: headers = null; break;
                case "headers":
                    headers = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var header in property.Value.EnumerateObject())
                        headers[header.Name] = header.Value.GetString() ?? throw new JsonException($"header {header.Name} is null");
                    break;
            }
        }
        return new OtelHeaderCacheRecord(schemaVersion, headers, tokenExp, cachedAt);
    }
}
