using System.Globalization;
using System.Text;
using System.Text.Json;
using Ccwb.Quota;
using Sylvan.Data.Csv;

namespace Ccwb.Cli.Quota;

/// <summary>
/// Policies in files, CSV (a header row of <see cref="PolicyRows.Columns"/>) or JSON (<c>{"policies": [{…}]}</c> or a
/// bare array, the same keys, numbers as numbers). Reading checks every row and returns all problems, each with its
/// line (CSV) or position (JSON), so an import can refuse the whole file before writing anything.
/// </summary>
internal static class PolicyFiles
{
    public sealed record Problem(string Where, string Field, string Message);

    public static string FormatOf(string path, string? format)
    {
        var chosen = (format ?? Path.GetExtension(path).TrimStart('.')).ToLowerInvariant();
        return chosen is "csv" or "json" ? chosen
            : throw new QuotaCommandException("--format", format is null
                ? $"cannot tell the format of '{Path.GetFileName(path)}' from its extension; pass --format csv or --format json"
                : $"'{format}' is not csv or json");
    }

    public static (IReadOnlyList<QuotaPolicy> Policies, IReadOnlyList<Problem> Problems) Read(string path, string format)
    {
        var name = Path.GetFileName(path);
        var rows = format == "csv" ? CsvRows(path, name) : JsonRows(path, name);
        var policies = new List<QuotaPolicy>();
        var problems = new List<Problem>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (where, row, rowProblems) in rows)
        {
            problems.AddRange(rowProblems);
            if (rowProblems.Count > 0) continue;
            var (policy, errors) = PolicyRows.Read(row);
            problems.AddRange(errors.Select(e => new Problem(where, e.Field, e.Message)));
            if (policy is null) continue;
            if (seen.TryGetValue(policy.Key, out var first))
                problems.Add(new Problem(where, "identifier", $"{policy.Key} is also at {first}; each policy may appear once"));
            else
            {
                seen[policy.Key] = where;
                policies.Add(policy);
            }
        }
        if (problems.Count == 0 && policies.Count == 0) problems.Add(new Problem(name, "policies", "the file holds no policy"));
        return (policies, problems);
    }

    private static List<(string Where, Dictionary<string, string?> Row, List<Problem> Problems)> CsvRows(string path, string name)
    {
        var rows = new List<(string, Dictionary<string, string?>, List<Problem>)>();
        using var reader = new StreamReader(path, Encoding.UTF8);
        CsvDataReader csv;
        try
        {
            csv = CsvDataReader.Create(reader, new CsvDataReaderOptions { Delimiter = ',', HasHeaders = true });
        }
        catch (CsvMissingHeadersException)
        {
            throw new QuotaCommandException(name, $"is empty: its first line must name the columns ({string.Join(", ", PolicyRows.Columns)})");
        }
        using (csv)
        {
            var header = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim().ToLowerInvariant()).ToArray();
            while (Next(csv, name))
            {
                var values = Enumerable.Range(0, csv.RowFieldCount).Select(csv.GetString).ToArray();
                var where = $"{name}:{csv.RowNumber + 1}"; // the line a spreadsheet shows: the header is line 1
                if (values.All(string.IsNullOrWhiteSpace)) continue;
                var problems = new List<Problem>();
                if (values.Length != header.Length)
                    problems.Add(new Problem(where, "columns", $"{values.Length} values for {header.Length} columns"));
                var row = new Dictionary<string, string?>(StringComparer.Ordinal);
                for (var i = 0; i < Math.Min(values.Length, header.Length); i++) row[header[i]] = values[i];
                rows.Add((where, row, problems));
            }
        }
        return rows;
    }

    /// <summary>The next record, or a malformed file reported with the line it broke on.</summary>
    private static bool Next(CsvDataReader csv, string name)
    {
        try
        {
            return csv.Read();
        }
        catch (Exception e) when (e is CsvFormatException or CsvRecordTooLargeException)
        {
            throw new QuotaCommandException($"{name}:{csv.RowNumber + 1}", $"is not valid CSV: {e.Message}");
        }
    }

    private static List<(string Where, Dictionary<string, string?> Row, List<Problem> Problems)> JsonRows(string path, string name)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new QuotaCommandException(name, $"is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var array = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("policies", out var inner) ? inner : document.RootElement;
            if (array.ValueKind != JsonValueKind.Array)
                throw new QuotaCommandException(name, "must be a JSON array of policies or an object with a \"policies\" array");
            var rows = new List<(string, Dictionary<string, string?>, List<Problem>)>();
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var where = $"{name}:policies[{index++}]";
                var problems = new List<Problem>();
                var row = new Dictionary<string, string?>(StringComparer.Ordinal);
                if (item.ValueKind != JsonValueKind.Object) problems.Add(new Problem(where, "policy", "is not a JSON object"));
                else
                    foreach (var property in item.EnumerateObject())
                    {
                        switch (property.Value.ValueKind)
                        {
                            case JsonValueKind.String: row[property.Name] = property.Value.GetString(); break;
                            case JsonValueKind.Number: row[property.Name] = property.Value.GetRawText(); break;
                            case JsonValueKind.True or JsonValueKind.False: row[property.Name] = property.Value.GetRawText(); break;
                            case JsonValueKind.Null: row[property.Name] = null; break;
                            default: problems.Add(new Problem(where, property.Name, "must be a string, number or boolean")); break;
                        }
                    }
                rows.Add((where, row, problems));
            }
            return rows;
        }
    }

    /// <summary>RFC 4180 CSV (Sylvan's writer takes a DbDataReader, more machinery than ten policy columns need).</summary>
    public static string WriteCsv(IEnumerable<QuotaPolicy> policies)
    {
        var text = new StringBuilder();
        void Line(IEnumerable<string> fields) =>
            text.Append(string.Join(',', fields.Select(f => f.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? '"' + f.Replace("\"", "\"\"", StringComparison.Ordinal) + '"' : f))).Append('\n');
        Line(PolicyRows.Columns);
        foreach (var policy in policies) Line(PolicyRows.Write(policy));
        return text.ToString();
    }

    /// <summary>The JSON form; numbers and booleans typed, in column order; text readable as written (a file, not HTML).</summary>
    public static string WriteJson(IEnumerable<QuotaPolicy> policies)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("policies");
            foreach (var policy in policies)
            {
                json.WriteStartObject();
                foreach (var (column, value) in PolicyRows.Columns.Zip(PolicyRows.Write(policy)))
                {
                    if (column is "type" or "identifier" or "enforcement_mode" or "daily_enforcement_mode") json.WriteString(column, value);
                    else if (column == "enabled") json.WriteBoolean(column, value == "true");
                    else json.WriteNumber(column, decimal.Parse(value, CultureInfo.InvariantCulture));
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}
