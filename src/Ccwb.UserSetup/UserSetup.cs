using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ccwb.UserSetup;

/// <summary>
/// Adds this package's entries to one user's settings.json and AWS config file, and takes them out again. Every file
/// is read and checked before any is written, so a bad file stops the run with nothing changed.
/// </summary>
public sealed class UserSetup(UserPaths paths)
{
    /// <summary>
    /// Merges the settings and appends each absent profile section. Running it again (repair, or Active Setup after an
    /// upgrade) first takes out what the last run recorded, so entries are replaced rather than doubled.
    /// </summary>
    public void Install(SetupRequest request)
    {
        var previous = SetupRecord.Read(paths.Record);
        var incoming = request.IncomingSettings is null ? null
            : Placeholders.Resolve(ReadIncoming(request.IncomingSettings), request.InstallDirectory);
        // settings.json is read only when there are settings to merge: otherwise it is none of this program's business.
        var settingsFile = incoming is null ? null : UserTextFile.Read(paths.Settings);
        var settings = settingsFile is null ? null : ParseSettings(settingsFile, InstallHint);
        var awsFile = UserTextFile.Read(paths.AwsConfig);

        var record = new SetupRecord
        {
            Settings = settings is null || incoming is null ? previous?.Settings
                : MergeSettings(settings, incoming, createdFile: !settingsFile!.Exists, previous),
            CreatedAwsConfig = !awsFile.Exists || previous?.CreatedAwsConfig == true,
        };
        var aws = AddProfiles(awsFile, request, previous, record.AwsSections);

        if (settings is not null) settingsFile!.Write(Serialize(settings, settingsFile));
        if (aws != awsFile.Text) awsFile.Write(aws);
        record.Write(paths.Record);
    }

    private static SettingsChanges MergeSettings(JsonObject settings, JsonObject incoming, bool createdFile, SetupRecord? previous)
    {
        if (previous?.Settings is { } earlier && SettingsMerge.Revert(settings, earlier)) createdFile = true;
        return SettingsMerge.Apply(settings, incoming, createdFile);
    }

    /// <summary>The AWS config text with each absent profile section appended; the sections added go into <paramref name="added"/>.</summary>
    private static string AddProfiles(UserTextFile awsFile, SetupRequest request, SetupRecord? previous, List<AddedSection> added)
    {
        var aws = awsFile.Text;
        foreach (var section in Enumerable.Reverse(previous?.AwsSections ?? [])) aws = AwsConfigSections.Remove(aws, section.Name, section.Separator);
        foreach (var profile in request.Profiles)
        {
            var name = AwsConfigSections.ProfileSection(profile.Name);
            if (AwsConfigSections.Contains(aws, name))
            {
                // Like install.bat, a section already there is the user's (or their admin's) and is not touched; only a
                // bare header, which older versions of this installer left behind on uninstall, is replaced.
                if (AwsConfigSections.HasEntries(aws, name)) continue;
                aws = AwsConfigSections.Remove(aws, name, separator: awsFile.Newline);
            }
            (aws, var separator) = AwsConfigSections.Append(aws, name,
            [
                new("region", profile.Region),
                new("credential_process", $"\"{CredentialProcessPath(request.InstallDirectory)}\" --profile {profile.Name}"),
            ], awsFile.Newline);
            added.Add(new AddedSection(name, separator));
        }
        return aws;
    }

    /// <summary>
    /// Takes out what the recorded installation added. A file that no longer reads (settings.json that is not JSON any
    /// more, an AWS config that is not UTF-8) is left alone with a warning, and the other file is still cleaned: the
    /// product must always be removable.
    /// </summary>
    /// <returns>Warnings for the log; empty when everything recorded was taken out.</returns>
    public IReadOnlyList<string> Uninstall()
    {
        var warnings = new List<string>();
        var record = SetupRecord.Read(paths.Record);
        if (record is null) return warnings;

        if (record.Settings is { } changes) Attempt(() => RemoveSettings(changes), warnings);
        Attempt(() => RemoveProfiles(record), warnings);

        File.Delete(paths.Record);
        var stateFolder = Path.GetDirectoryName(paths.Record)!;
        if (Directory.Exists(stateFolder) && !Directory.EnumerateFileSystemEntries(stateFolder).Any()) Directory.Delete(stateFolder);
        return warnings;
    }

    private void RemoveSettings(SettingsChanges changes)
    {
        var settingsFile = UserTextFile.Read(paths.Settings);
        if (!settingsFile.Exists) return;
        var settings = ParseSettings(settingsFile, UninstallHint);
        if (SettingsMerge.Revert(settings, changes)) File.Delete(paths.Settings);
        else settingsFile.Write(Serialize(settings, settingsFile));
    }

    private void RemoveProfiles(SetupRecord record)
    {
        var awsFile = UserTextFile.Read(paths.AwsConfig);
        var aws = awsFile.Text;
        // In reverse order of adding, so that each section's separator is found where it was written.
        foreach (var section in Enumerable.Reverse(record.AwsSections)) aws = AwsConfigSections.Remove(aws, section.Name, section.Separator);
        if (record.CreatedAwsConfig && aws.Length == 0 && awsFile.Exists) File.Delete(paths.AwsConfig);
        else if (aws != awsFile.Text) awsFile.Write(aws);
    }

    private static void Attempt(Action step, List<string> warnings)
    {
        try
        {
            step();
        }
        catch (SetupException e)
        {
            warnings.Add(e.Message);
        }
    }

    private const string InstallHint = "Fix or remove it, then run the installation again.";
    private const string UninstallHint = "The entries this package added are still in it.";

    /// <summary>The helper's path as install.bat writes it into profiles, with backslashes (quoted by the caller: the folder may hold spaces).</summary>
    private static string CredentialProcessPath(string installDirectory) =>
        Placeholders.InstalledFile(installDirectory, "credential-process.exe");

    private static JsonObject ReadIncoming(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new SetupException($"{path} does not hold a JSON object.");
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new SetupException($"The package's settings {path} cannot be read: {e.Message}");
        }
    }

    /// <summary>The user's settings.json; a file that is not a JSON object is never overwritten.</summary>
    private static JsonObject ParseSettings(UserTextFile file, string hint)
    {
        if (!file.Exists) return [];
        try
        {
            return JsonNode.Parse(file.Text) as JsonObject
                ?? throw new SetupException($"{file.Path} does not hold a JSON object; it was left unchanged. {hint}");
        }
        catch (JsonException e)
        {
            throw new SetupException(
                $"{file.Path} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}); it was left unchanged. {hint}");
        }
    }

    /// <summary>
    /// Indented by two spaces (Claude Code's own style), with the file's line ending (LF, as Claude Code writes, for a
    /// new file) and a final newline. Non-ASCII text stays readable: this is a file, not HTML.
    /// </summary>
    private static string Serialize(JsonObject settings, UserTextFile file)
    {
        var newline = file.Exists ? file.Newline : "\n";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            NewLine = newline,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            settings.WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan) + newline;
    }
}
