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
        var settingsFile = incoming is null ? null : UserTextFile.Read(paths.Settings);
        var settings = settingsFile is null ? null : ParseSettings(settingsFile);
        var awsFile = UserTextFile.Read(paths.AwsConfig);

        // What an earlier run recorded is taken out first, so that running again replaces rather than doubles.
        var record = new SetupRecord { CreatedAwsConfig = !awsFile.Exists || previous?.CreatedAwsConfig == true, Settings = previous?.Settings };
        if (settingsFile is not null && settings is not null && incoming is not null)
        {
            var createdFile = !settingsFile.Exists;
            if (previous?.Settings is { } earlier && SettingsMerge.Revert(settings, earlier)) createdFile = true;
            record.Settings = SettingsMerge.Apply(settings, incoming, createdFile);
        }

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
            record.AwsSections.Add(new AddedSection(name, separator));
        }

        if (settingsFile is not null && settings is not null) settingsFile.Write(Serialize(settings, settingsFile));
        if (aws != awsFile.Text) awsFile.Write(aws);
        record.Write(paths.Record);
    }

    /// <summary>
    /// Takes out what the recorded installation added. Never fails the uninstallation over a settings.json that no
    /// longer parses: it is left alone (and the reason returned) while the AWS sections still go.
    /// </summary>
    /// <returns>Warnings for the log; empty when everything recorded was taken out.</returns>
    public IReadOnlyList<string> Uninstall()
    {
        var warnings = new List<string>();
        var record = SetupRecord.Read(paths.Record);
        if (record is null) return warnings;

        if (record.Settings is { } changes)
        {
            var settingsFile = UserTextFile.Read(paths.Settings);
            if (settingsFile.Exists)
            {
                try
                {
                    var settings = ParseSettings(settingsFile);
                    if (SettingsMerge.Revert(settings, changes)) File.Delete(paths.Settings);
                    else settingsFile.Write(Serialize(settings, settingsFile));
                }
                catch (SetupException e)
                {
                    warnings.Add(e.Message);
                }
            }
        }

        var awsFile = UserTextFile.Read(paths.AwsConfig);
        var aws = awsFile.Text;
        // In reverse order of adding, so that each section's separator is found where it was written.
        foreach (var section in Enumerable.Reverse(record.AwsSections)) aws = AwsConfigSections.Remove(aws, section.Name, section.Separator);
        if (record.CreatedAwsConfig && aws.Length == 0 && awsFile.Exists) File.Delete(paths.AwsConfig);
        else if (aws != awsFile.Text) awsFile.Write(aws);

        File.Delete(paths.Record);
        var stateFolder = Path.GetDirectoryName(paths.Record)!;
        if (Directory.Exists(stateFolder) && !Directory.EnumerateFileSystemEntries(stateFolder).Any()) Directory.Delete(stateFolder);
        return warnings;
    }

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
    private static JsonObject ParseSettings(UserTextFile file)
    {
        if (!file.Exists) return [];
        try
        {
            return JsonNode.Parse(file.Text) as JsonObject
                ?? throw new SetupException($"{file.Path} does not hold a JSON object; it was left unchanged. " +
                    "Fix or remove it, then run the installation again.");
        }
        catch (JsonException e)
        {
            throw new SetupException($"{file.Path} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}); " +
                "it was left unchanged. Fix or remove it, then run the installation again.");
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
