using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Contract.Config;
using Ccwb.Contract.Files;
using Ccwb.Profiles;
using Ccwb.Profiles.Validation;

namespace Ccwb.Cli;

/// <summary>
/// <c>ccwb config export | import</c>: a profile (stored, or a file) as one portable file, to hand a deployment to another
/// administrator or machine. Secrets (<see cref="ProfileSecrets"/>) never leave the store; the file names the ones it
/// left out so the importer knows what to set again.
/// </summary>
internal static class ConfigCommands
{
    /// <summary>The export file's marker, so import refuses a plain profile or some other JSON.</summary>
    public const string Format = "ccwb-profile-export";
    public const int FormatVersion = 1;

    public static Command Create()
    {
        var config = new Command("config", "Export a stored profile to one portable file (secrets excluded) and import it.");
        config.Subcommands.Add(Export());
        config.Subcommands.Add(Import());
        config.SetAction(parse => new HelpAction().Invoke(parse));
        return config;
    }

    private static Command Export()
    {
        var profile = new ProfileOptions();
        var outputOption = new Option<FileInfo?>("--output", "-o") { Description = "File to write; default: standard output" };
        var export = new Command("export", "Write a profile (stored or a file) as one portable JSON file, without its secrets.") { outputOption };
        profile.AddTo(export);
        export.SetAction(parse =>
        {
            // Standard output may be the export itself, so anything the store has to say goes to standard error.
            var result = profile.Load(parse, Console.Error);
            if (result.Profile is null)
            {
                Findings.Print(Console.Error, result.Messages);
                return 1;
            }
            var text = ExportText(result.Profile);
            if (parse.GetValue(outputOption) is { } file)
            {
                try
                {
                    AtomicFile.WriteAllText(file.FullName, text);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return Findings.Fail(Console.Error, "--output", $"cannot write {file.FullName}: {e.Message}");
                }
                Console.Out.WriteLine($"Exported profile '{result.Profile.Name}' to {file.FullName}.");
            }
            else
            {
                Console.Out.Write(text);
            }
            foreach (var field in ProfileSecrets.SetIn(result.Profile))
                Findings.Warn(Console.Error, field, "is a secret and was not exported; whoever imports the file sets it again");
            return 0;
        });
        return export;
    }

    /// <summary>
    /// The export document. Deterministic (no export time): the same profile exports to the same bytes. The profile's
    /// own timestamps are left out because the import is a new profile.
    /// </summary>
    internal static string ExportText(DeploymentProfile profile)
    {
        var portable = ProfileSecrets.Without(profile) with { CreatedAt = null, UpdatedAt = null };
        var document = new JsonObject
        {
            ["format"] = Format,
            ["format_version"] = FormatVersion,
            ["secrets_excluded"] = new JsonArray([.. ProfileSecrets.SetIn(profile).Select(f => (JsonNode?)JsonValue.Create(f))]),
            ["profile"] = JsonNode.Parse(ProfileJson.Serialize(portable)),
        };
        return document.ToJsonString(ProfileJson.Options) + "\n";
    }

    private static Command Import()
    {
        var fileArgument = new Argument<FileInfo>("file") { Description = "A file written by 'ccwb config export'" };
        var nameOption = new Option<string?>("--name") { Description = "Store the profile under this name; default: the name in the file" };
        var forceOption = new Option<bool>("--force") { Description = "Replace a stored profile of the same name" };
        var import = new Command("import", "Validate an exported profile and store it in ~/.ccwb/profiles (nothing is written when it has errors).")
        {
            fileArgument, nameOption, forceOption,
        };
        import.SetAction(parse =>
        {
            var file = parse.GetValue(fileArgument)!;
            var store = StoreAccess.Open(Console.Error);
            var (profile, excluded, findings) = ReadExport(file.FullName, parse.GetValue(nameOption));
            if (profile is not null && store.Exists(profile.Name) && !parse.GetValue(forceOption))
                findings.Add(new ProfileMessage("profile", $"'{profile.Name}' already exists in {store.ProfilesDirectory}; pass --force to replace it or --name to import it under another name"));
            if (Findings.Print(Console.Error, findings) || profile is null)
            {
                Console.Error.WriteLine($"Nothing was imported: {Count(findings.Count(f => f.Severity == Severity.Error), "error")}.");
                return 1;
            }
            var saved = store.Save(profile);
            if (Findings.Print(Console.Error, saved.Errors)) return 1;
            Console.Out.WriteLine($"Imported profile '{profile.Name}' to {store.PathOf(profile.Name)}.");
            if (excluded.Count > 0)
                Console.Out.WriteLine($"Set {string.Join(" and ", excluded)} in that file: secrets are not exported.");
            return 0;
        });
        return import;
    }

    /// <summary>
    /// Reads and validates an export with the profile rules. Every problem is collected (none stops the others from
    /// being found); the profile is returned only when the file could be read as one.
    /// </summary>
    internal static (DeploymentProfile? Profile, IReadOnlyList<string> Excluded, List<ProfileMessage> Findings) ReadExport(string path, string? name)
    {
        var findings = new List<ProfileMessage>();
        JsonObject? document = null;
        try
        {
            document = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            if (document is null) findings.Add(new ProfileMessage("file", $"{path} is not a JSON object"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            findings.Add(new ProfileMessage("file", $"cannot read {path}: {e.Message}"));
        }
        catch (JsonException e)
        {
            findings.Add(new ProfileMessage("file", $"{path} is not valid JSON: {e.Message}"));
        }
        if (document is null) return (null, [], findings);

        if (Text(document["format"]) != Format)
            findings.Add(new ProfileMessage("format", $"must be \"{Format}\": {path} was not written by 'ccwb config export'"));
        var version = Number(document["format_version"]);
        if (version is null)
            findings.Add(new ProfileMessage("format_version", $"must be {FormatVersion}"));
        else if (version > FormatVersion)
            findings.Add(new ProfileMessage("format_version", $"{version.Value.ToString(CultureInfo.InvariantCulture)} is newer than this ccwb reads ({FormatVersion}); update ccwb"));
        else if (version != FormatVersion)
            findings.Add(new ProfileMessage("format_version", $"must be {FormatVersion}"));
        List<string> excluded = document["secrets_excluded"] is JsonArray list
            ? [.. list.Select(Text).OfType<string>().Where(ProfileSecrets.Fields.Contains)]
            : [];
        if (document["profile"] is not JsonObject profileNode)
        {
            findings.Add(new ProfileMessage("profile", "missing: the file holds no profile object"));
            return (null, excluded, findings);
        }

        var profileDocument = (JsonObject)profileNode.DeepClone();
        if (name is not null) profileDocument["name"] = name;
        var read = ProfileLoader.Read(profileDocument.ToJsonString());
        findings.AddRange(read.Messages);
        if (read.Profile is null) return (null, excluded, findings);
        if (!ProfileNames.IsValid(read.Profile.Name))
            findings.Add(new ProfileMessage("name", $"'{read.Profile.Name}' is not a valid profile name ({ProfileNames.Rule}); pass --name"));
        foreach (var finding in ProfileValidator.Validate(read.Profile))
        {
            // A secret the export left out is for the importer to set again, not a reason to refuse the file.
            findings.Add(finding.Severity == Severity.Error && excluded.Contains(finding.Field)
                ? finding with { Severity = Severity.Warning, Message = $"{finding.Message} (not exported: set it in the imported profile)" }
                : finding);
        }
        return (read.Profile with { CreatedAt = null, UpdatedAt = null }, excluded, findings);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int? Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
