using System.Text.Json.Nodes;
using System.Text.Json;
using Ccwb.Contract.Files;
using Ccwb.Contract.Install;

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
        var coworkPolicy = request.CoworkRegistryFile is null ? null
            : InstallPlaceholders.ResolveHomeInRegistryFile(ReadPackageFile(request.CoworkRegistryFile), paths.Home);

        var record = new SetupRecord
        {
            Settings = settings is null || incoming is null ? previous?.Settings
                : MergeSettings(settings, incoming, createdFile: !settingsFile!.Exists, previous),
            CreatedAwsConfig = !awsFile.Exists || previous?.CreatedAwsConfig == true,
        };
        var aws = AddProfiles(awsFile, request, previous, record.AwsSections);

        if (settings is not null) settingsFile!.Write(Serialize(settings, settingsFile));
        if (aws != awsFile.Text) awsFile.Write(aws);
        // Under its own name in the install folder, which goes with the product: nothing to record for uninstall.
        if (coworkPolicy is not null)
            AtomicFile.WriteAllText(Path.Combine(request.InstallDirectory, Path.GetFileName(request.CoworkRegistryFile)!), coworkPolicy);
        record.Write(paths.Record);
    }

    /// <summary>
    /// Writes the package's managed settings to <paramref name="output"/> with the program paths filled in, replacing the
    /// file whole (managed settings are the package's alone). For install.bat's managed profiles, run as administrator:
    /// the file is machine-wide, so it is readable by every user, and the package file is checked before anything is written.
    /// </summary>
    public static void WriteManagedSettings(string packageSettings, string installDirectory, string output)
    {
        var settings = Placeholders.Resolve(ReadIncoming(packageSettings), installDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        AtomicFile.WriteAllText(output, Serialize(settings, "\n"),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private static SettingsChanges MergeSettings(JsonObject settings, JsonObject incoming, bool createdFile, SetupRecord? previous)
    {
        if (previous?.Settings is { } earlier && SettingsMerge.Revert(settings, earlier)) createdFile = true;
        return SettingsMerge.Apply(settings, incoming, createdFile);
    }

    /// <summary>
    /// The AWS config text with each profile's keys set as <c>aws configure set</c> would (the rule every installer
    /// follows, see <see cref="AwsIniText.SetKeys"/>); what changed goes into <paramref name="edits"/>.
    /// </summary>
    private static string AddProfiles(UserTextFile awsFile, SetupRequest request, SetupRecord? previous, List<AwsSectionEdit> edits)
    {
        var aws = AwsIniText.Parse(awsFile.Text, awsFile.Newline);
        Undo(aws, previous?.AwsSections ?? []);
        foreach (var profile in request.Profiles)
        {
            var edit = aws.SetKeys(AwsIniText.ProfileSection(profile.Name),
            [
                new("region", profile.Region),
                new("credential_process", $"\"{CredentialProcessPath(request.InstallDirectory)}\" --profile {profile.Name}"),
            ]);
            if (edit.Changed) edits.Add(AwsSectionEdit.From(edit));
        }
        return aws.ToString();
    }

    /// <summary>Takes out recorded edits, newest first, so that each appended section's separator is found where it was written.</summary>
    private static void Undo(AwsIniText aws, IReadOnlyList<AwsSectionEdit> edits)
    {
        foreach (var edit in Enumerable.Reverse(edits))
        {
            if (edit.Created) aws.RemoveSection(edit.Name, edit.Separator);
            else foreach (var key in Enumerable.Reverse(edit.Keys)) aws.RestoreKey(edit.Name, new IniKeyChange(key.Name, key.Previous, key.Installed));
        }
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
        var text = AwsIniText.Parse(awsFile.Text, awsFile.Newline);
        Undo(text, record.AwsSections);
        var aws = text.ToString();
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
            return JsonNode.Parse(ReadPackageFile(path)) as JsonObject
                ?? throw new SetupException($"{path} does not hold a JSON object.");
        }
        catch (JsonException e)
        {
            throw new SetupException($"The package's settings {path} cannot be read: {e.Message}");
        }
    }

    private static string ReadPackageFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SetupException($"The package's file {path} cannot be read: {e.Message}");
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
    private static string Serialize(JsonObject settings, UserTextFile file) => Serialize(settings, file.Exists ? file.Newline : "\n");

    private static string Serialize(JsonObject settings, string newline)
    {
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
