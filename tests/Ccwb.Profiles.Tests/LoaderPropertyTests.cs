using System.Text.Json.Nodes;
using CsCheck;

namespace Ccwb.Profiles.Tests;

/// <summary>
/// Whatever the input, the loader returns a profile or errors and never throws; a profile it returns can be saved and
/// reloaded to the same text.
/// </summary>
public class LoaderPropertyTests
{
    private const int Iterations = 1500;

    private static readonly Dictionary<string, Type> Fields =
        ProfileJson.Options.GetTypeInfo(typeof(DeploymentProfile)).Properties.ToDictionary(p => p.Name, p => p.PropertyType);

    private static readonly string[] KnownKeys = [.. Fields.Keys, "okta_domain", "okta_client_id"];

    // No lone surrogates: those are not text and cannot be written as JSON by any writer.
    private static readonly Gen<string> Text = Gen.String[Gen.Char['\0', '\uD7FF'], 0, 12];

    private static readonly Gen<string> Key = Gen.Frequency((3, Gen.OneOf(KnownKeys)), (1, Text));

    private static readonly Gen<JsonNode?> Leaf = Gen.OneOf(
        Gen.Const((JsonNode?)null),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
        Gen.Double.Where(double.IsFinite).Select(d => (JsonNode?)JsonValue.Create(d)),
        Gen.OneOf("us-east-1", "us-gov-west-1", "okta", "none", "direct", "presigned-s3", "all-commercial", "HKLM", "")
            .Select(s => (JsonNode?)JsonValue.Create(s)),
        Text.Select(s => (JsonNode?)JsonValue.Create(s)));

    private static readonly Gen<JsonNode?> Json = Gen.Recursive<JsonNode?>((depth, inner) => depth >= 3
        ? Leaf
        : Gen.Frequency(
            (4, Leaf),
            (1, inner.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))),
            (1, Gen.Select(Key, inner).Array[0, 6].Select(ToObject))));

    private static readonly Gen<JsonNode?> StringOrNull = Gen.Frequency(
        (1, Gen.Const((JsonNode?)null)), (6, Leaf.Where(n => n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)));

    /// <summary>A value of roughly the field's shape (so that rules behind the type checks are reached), or anything.</summary>
    private static Gen<JsonNode?> ValueFor(string key)
    {
        if (!Fields.TryGetValue(key, out var type)) return Json;
        type = Nullable.GetUnderlyingType(type) ?? type;
        Gen<JsonNode?> shaped =
            type == typeof(IReadOnlyList<string>) ? StringOrNull.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))
            : type == typeof(IReadOnlyDictionary<string, string>) ? Gen.Select(Text, StringOrNull).Array[0, 4].Select(ToObject)
            : type == typeof(string) ? StringOrNull
            : type == typeof(bool) ? Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))
            : type == typeof(int) || type == typeof(long) ? Gen.Int[-100_000, 100_000].Select(i => (JsonNode?)JsonValue.Create(i))
            : Json;
        return Gen.Frequency((3, shaped), (1, Json));
    }

    private static readonly Gen<(string Key, JsonNode? Value, bool Remove)> Mutation =
        Gen.Select(Key, Gen.Int[0, 3]).SelectMany(kr => ValueFor(kr.Item1).Select(v => (kr.Item1, v, kr.Item2 == 0)));

    private static JsonNode? ToObject((string Key, JsonNode? Value)[] entries)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in entries) obj[key] = value;
        return obj;
    }

    private static void LoadsOrExplains(string text)
    {
        var result = ProfileLoader.Parse(text);
        if (result.Profile is null)
        {
            Assert.NotEmpty(result.Errors);
            Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Field)));
            return;
        }
        var saved = ProfileJson.Serialize(result.Profile);
        var reloaded = ProfileLoader.Read(saved);
        Assert.NotNull(reloaded.Profile);
        Assert.Equal(saved, ProfileJson.Serialize(reloaded.Profile!));
    }

    [Fact]
    public void Arbitrary_json_never_crashes_the_loader()
    {
        Json.Select(node => node?.ToJsonString() ?? "null").Sample(LoadsOrExplains, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Arbitrary_text_never_crashes_the_loader()
    {
        Text.Sample(LoadsOrExplains, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Mutated_example_profiles_never_crash_the_loader_and_round_trip_when_they_load()
    {
        var examples = Examples.Names.Select(n => JsonNode.Parse(Examples.Text(n))!.AsObject()).ToArray();
        var mutation = Gen.Select(Gen.Int[0, examples.Length - 1], Mutation.Array[1, 4]);

        mutation.Sample(m =>
        {
            var profile = examples[m.Item1].DeepClone().AsObject();
            foreach (var (key, value, remove) in m.Item2)
            {
                if (remove) profile.Remove(key);
                else profile[key] = value?.DeepClone();
            }
            LoadsOrExplains(profile.ToJsonString());
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Truncated_example_profiles_are_reported_as_invalid_json()
    {
        var text = Examples.Text("okta-direct");
        Gen.Int[0, text.Length - 2].Sample(length =>
        {
            var result = ProfileLoader.Parse(text[..length]);
            Assert.Null(result.Profile);
            Assert.StartsWith("profile: ", Assert.Single(result.Errors).ToString(), StringComparison.Ordinal);
        }, iter: 300, threads: 1);
    }
}
