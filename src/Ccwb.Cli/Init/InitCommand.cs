using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Contract.Config;
using Ccwb.Profiles;
using Ccwb.Profiles.Store;
using Spectre.Console;

namespace Ccwb.Cli.Init;

/// <summary>
/// <c>ccwb init</c>: writes <c>~/.ccwb/profiles/&lt;name&gt;.json</c> from the answers to the wizard's questions, asked
/// at a terminal or, with <c>--non-interactive</c>, taken from an answers file and <c>--set</c> options (for CI).
/// </summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var profile = new Option<string?>("--profile", "-p") { Description = "Name of the profile to create or update (letters, digits, hyphens)" };
        var managed = new Option<bool>("--managed") { Description = "Install Claude Code settings as managed (machine-wide) settings" };
        var nonInteractive = new Option<bool>("--non-interactive")
        {
            Description = "Never prompt: take every answer from --answers and --set; report every missing or bad answer and write nothing",
        };
        var answersFile = new Option<FileInfo?>("--answers") { Description = "JSON file of answers, keyed like the profile (e.g. {\"aws_region\": \"us-east-1\"})" };
        var set = new Option<string[]>("--set")
        {
            Description = "One answer as KEY=VALUE (a profile key; VALUE is read as JSON when it is JSON); repeatable, wins over --answers",
            AllowMultipleArgumentsPerToken = false,
        };
        var skipDiscovery = new Option<bool>("--skip-discovery")
        {
            Description = "Do not fetch the identity provider's OpenID discovery document (offline)",
        };
        var init = new Command("init", "Create or update a deployment profile: an interactive wizard, or --non-interactive for CI.")
        {
            profile, managed, nonInteractive, answersFile, set, skipDiscovery,
        };
        init.SetAction(async (parse, cancellationToken) =>
        {
            var error = Console.Error;
            var given = ReadAnswers(parse.GetValue(answersFile), parse.GetValue(set) ?? [], error);
            if (given is null) return 1;
            var store = StoreAccess.Open(Console.Out);
            var discovery = new ProviderDiscovery { Offline = parse.GetValue(skipDiscovery) };
            var name = parse.GetValue(profile) ?? (given["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null);

            if (parse.GetValue(nonInteractive))
                return await NonInteractiveInit.RunAsync(store, name, given, parse.GetValue(managed), discovery, error, cancellationToken);
            // Prompts need a terminal to read keys from; in a pipeline or CI job say what to do instead of failing mid-way.
            if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsInputRedirected)
                return Findings.Fail(error, "init", "no interactive terminal to ask the questions at: run it at a terminal, or pass " +
                                                    "--non-interactive with --answers FILE and/or --set KEY=VALUE");
            return await new InteractiveWizard(store, discovery, parse.GetValue(managed)).RunAsync(name, given, cancellationToken);
        });
        return init;
    }

    /// <summary>The answers file overlaid with <c>--set</c> values; null (after printing why) when one cannot be read.</summary>
    private static JsonObject? ReadAnswers(FileInfo? file, IReadOnlyList<string> sets, TextWriter error)
    {
        var answers = new JsonObject();
        var failed = false;
        if (file is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(file.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(error, "answers", $"cannot read {file.FullName}: {e.Message}");
            }
            try
            {
                if (JsonNode.Parse(text) is not JsonObject parsed) return Fail(error, "answers", $"{file.FullName} must hold a JSON object");
                answers = parsed;
            }
            catch (JsonException e)
            {
                return Fail(error, "answers", $"{file.FullName} is not valid JSON: {e.Message}");
            }
        }
        foreach (var item in sets)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                Findings.Fail(error, "--set", $"'{item}' is not KEY=VALUE");
                failed = true;
                continue;
            }
            answers[item[..equals].Trim()] = Answers.FromOption(item[(equals + 1)..]);
        }
        return failed ? null : answers;
    }

    private static JsonObject? Fail(TextWriter error, string subject, string message)
    {
        Findings.Fail(error, subject, message);
        return null;
    }

    /// <summary>Why a profile name cannot be used, or null.</summary>
    public static string? NameProblem(string? name) =>
        ProfileNames.IsValid(name) ? null : $"'{name}' is not a profile name ({ProfileNames.Rule})";

    /// <summary>The stored profile's document when it exists (updating starts from it), else an empty one.</summary>
    public static JsonObject Existing(ProfileStore store, string name)
    {
        if (!store.Exists(name)) return [];
        try
        {
            return JsonNode.Parse(File.ReadAllText(store.PathOf(name))) as JsonObject ?? [];
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return [];
        }
    }

    /// <summary>Writes the profile through the store, makes it the active one, and says where it went.</summary>
    public static int Save(ProfileStore store, DeploymentProfile profile, TextWriter output, TextWriter error)
    {
        var saved = store.Save(profile);
        if (!saved.Succeeded)
        {
            Findings.Print(error, saved.Errors);
            return 1;
        }
        store.Use(profile.Name);
        output.WriteLine($"Profile '{profile.Name}' written to {store.PathOf(profile.Name)} (now the active profile).");
        return 0;
    }
}
