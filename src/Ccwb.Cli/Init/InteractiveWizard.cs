using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Bedrock;
using Ccwb.Profiles;
using Ccwb.Profiles.Store;
using Ccwb.Profiles.Validation;
using Spectre.Console;

namespace Ccwb.Cli.Init;

/// <summary>
/// The interactive <c>ccwb init</c>: Spectre.Console prompts over <see cref="WizardSteps"/>, each answer judged by the
/// profile rules as it is given and asked again when bad, the answers saved after each one so Ctrl+C loses nothing.
/// </summary>
internal sealed class InteractiveWizard(ProfileStore store, ProviderDiscovery discovery, bool managed)
{
    private readonly IAnsiConsole console = AnsiConsole.Console;

    public async Task<int> RunAsync(string? name, JsonObject given, CancellationToken cancellationToken)
    {
        try
        {
            return await RunStepsAsync(name, given, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.WriteLine();
            console.MarkupLine("[yellow]Setup interrupted. Your progress has been saved; run the same 'ccwb init' again to resume.[/]");
            return 1;
        }
    }

    private async Task<int> RunStepsAsync(string? name, JsonObject given, CancellationToken cancellationToken)
    {
        console.Write(new Rule("[bold]ccwb init[/]: a deployment profile for Claude Code and Claude Desktop on Amazon Bedrock").LeftJustified());
        name ??= await console.PromptAsync(new TextPrompt<string>("Profile name (e.g. acme-prod-us)")
            .Validate(n => InitCommand.NameProblem(n) is { } problem ? ValidationResult.Error(Markup.Escape(problem)) : ValidationResult.Success()),
            cancellationToken);
        if (InitCommand.NameProblem(name) is { } nameProblem) return Findings.Fail(Console.Error, "name", nameProblem);

        var progress = new InitProgress(store, name);
        JsonObject document;
        if (progress.TryLoad(out var unreadable) &&
            await console.PromptAsync(new ConfirmationPrompt($"Resume the unfinished setup of '{Markup.Escape(name)}'?"), cancellationToken))
        {
            document = progress.Answers;
        }
        else
        {
            if (unreadable is not null) Findings.Warn(Console.Error, progress.PathName, $"ignored: {unreadable}");
            progress.CompletedSteps.Clear();
            document = [];
            if (store.Exists(name))
            {
                if (!await console.PromptAsync(new ConfirmationPrompt($"Profile '{Markup.Escape(name)}' exists. Update it?") { DefaultValue = false },
                        cancellationToken))
                {
                    console.MarkupLine("Nothing changed.");
                    return 1;
                }
                document = InitCommand.Existing(store, name);
            }
        }
        foreach (var (key, value) in given) document[key] = value?.DeepClone();
        var answers = new Answers(name, document, managed);
        progress.Save(answers.Document);

        var steps = WizardSteps.Create(discovery);
        foreach (var step in steps)
        {
            if (progress.IsComplete(step.Marker))
            {
                console.MarkupLine($"[green]✓[/] {Markup.Escape(step.Title)}: answered before (saved progress)");
                continue;
            }
            console.Write(new Rule($"[bold]{Markup.Escape(step.Title)}[/]").LeftJustified());
            if (step.Marker == WizardSteps.Models && WizardSteps.NoModelsMessage(answers) is { } noModels)
                console.MarkupLine($"[yellow]warning: selected_model: {Markup.Escape(noModels)}[/]");
            await AskStepAsync(step, answers, progress, cancellationToken);
            progress.MarkComplete(step.Marker, answers.Document);
        }

        var profile = await ResolveRemainingErrorsAsync(steps, answers, progress, cancellationToken);
        if (profile is null) return 1;

        console.Write(new Rule("[bold]Review[/]").LeftJustified());
        console.WriteLine(TerminalText.Clean(ProfileSummary.Render(profile)));
        if (!await console.PromptAsync(new ConfirmationPrompt($"Write profile '{Markup.Escape(name)}'?"), cancellationToken))
        {
            console.MarkupLine("Nothing written; your answers are kept, run the same 'ccwb init' again to resume.");
            return 1;
        }
        var code = InitCommand.Save(store, profile, Console.Out, Console.Error);
        if (code == 0) progress.Delete();
        return code;
    }

    private async Task AskStepAsync(Step step, Answers answers, InitProgress progress, CancellationToken cancellationToken)
    {
        for (var i = 0; i < step.Questions.Count; i++)
        {
            var question = step.Questions[i];
            if (!question.Applies(answers)) continue;
            answers.Set(question.Key, await AskAsync(question, answers, cancellationToken));
            progress.Save(answers.Document);
            if (question.Key == "provider_domain" && Ccwb.Contract.Providers.ProviderDetection.FromDomain(answers.Text("provider_domain")) is { } detected)
                console.MarkupLine($"Identity provider: [blue]{Markup.Escape(detected)}[/] (detected from the domain)");

            if (discovery.Offline || !WizardSteps.IsIssuerComplete(question, answers)) continue;
            if (await CheckDiscoveryAsync(answers, cancellationToken)) continue;
            if (await console.PromptAsync(new ConfirmationPrompt("Re-enter the identity provider details?"), cancellationToken))
                i = IndexOf(step, "provider_domain") - 1;
        }
    }

    /// <summary>Checks the provider's discovery document; false (after saying why) when it does not answer for the issuer.</summary>
    private async Task<bool> CheckDiscoveryAsync(Answers answers, CancellationToken cancellationToken)
    {
        if (answers.Profile().Profile is not { } partial || ProviderDiscovery.IssuerOf(partial) is not { } issuer) return true;
        var problem = await console.Status().StartAsync($"Checking {Markup.Escape(issuer)}/.well-known/openid-configuration …",
            _ => discovery.CheckAsync(issuer, cancellationToken));
        if (problem is null)
        {
            console.MarkupLine($"[green]✓[/] OpenID discovery document found for issuer {Markup.Escape(issuer)}");
            return true;
        }
        console.MarkupLine($"[yellow]warning: {NonInteractiveInit.IssuerKey(answers)}: {Markup.Escape(problem)}[/]");
        return false;
    }

    /// <summary>
    /// Rules that relate answers of different steps (a GovCloud region and a Cognito domain, say) can only be judged at
    /// the end: each key they name is asked again, with the reason, until the profile has no error.
    /// </summary>
    private async Task<DeploymentProfile?> ResolveRemainingErrorsAsync(IReadOnlyList<Step> steps, Answers answers, InitProgress progress,
        CancellationToken cancellationToken)
    {
        var questions = steps.SelectMany(s => s.Questions).ToList();
        for (var round = 0; round < 5; round++)
        {
            var result = answers.Profile();
            var findings = result.Profile is null ? result.Errors.ToList() : ProfileValidator.Validate(result.Profile).ToList();
            var errors = findings.Where(f => f.Severity == Severity.Error).ToList();
            if (errors.Count == 0)
            {
                Findings.Print(Console.Error, findings);
                return result.Profile;
            }
            foreach (var error in errors)
            {
                var question = questions.FirstOrDefault(q => Answers.Concerns(error, q.Key) && q.Applies(answers));
                if (question is null)
                {
                    Findings.Print(Console.Error, errors);
                    console.MarkupLine("These values come from the answers file or the existing profile; correct them there and run 'ccwb init' again.");
                    return null;
                }
                console.MarkupLine($"[red]{Markup.Escape(error.ToLine())}[/]");
                answers.Set(question.Key, await AskAsync(question, answers, cancellationToken));
                progress.Save(answers.Document);
            }
        }
        var left = answers.Profile() is { Profile: { } last } ? ProfileValidator.Validate(last).Where(f => f.Severity == Severity.Error).ToList() : [];
        Findings.Print(Console.Error, left);
        console.MarkupLine("The answers still break the rules above after five rounds; nothing was written. Run 'ccwb init' again to resume.");
        return null;
    }

    private static int IndexOf(Step step, string key)
    {
        for (var i = 0; i < step.Questions.Count; i++)
            if (step.Questions[i].Key == key) return i;
        return 0;
    }

    /// <summary>Asks one question until the answer passes the rules; returns the value to store (null: left unset).</summary>
    private async Task<JsonNode?> AskAsync(Question question, Answers answers, CancellationToken cancellationToken)
    {
        var suggested = answers.Get(question.Key) ?? question.Default(answers);
        while (true)
        {
            var value = question.Kind switch
            {
                AnswerKind.Choice => await ChooseAsync(question, answers, suggested, cancellationToken),
                AnswerKind.YesNo => await console.PromptAsync(new ConfirmationPrompt(Markup.Escape(question.Prompt))
                    { DefaultValue = suggested is JsonValue b && b.GetValueKind() == JsonValueKind.True }, cancellationToken),
                AnswerKind.Model => await ChooseModelAsync(answers, suggested, cancellationToken),
                _ => await TypeAsync(question, answers, suggested, cancellationToken),
            };
            // Text answers are checked inside their prompt; picked ones are checked here.
            if (question.Kind is AnswerKind.Choice or AnswerKind.YesNo or AnswerKind.Model &&
                answers.Check(question, value) is { } problem)
            {
                console.MarkupLine($"[red]{Markup.Escape(question.Key)}: {Markup.Escape(problem)}[/]");
                continue;
            }
            return value;
        }
    }

    private async Task<JsonNode?> TypeAsync(Question question, Answers answers, JsonNode? suggested, CancellationToken cancellationToken)
    {
        var prompt = new TextPrompt<string>(Markup.Escape(question.Prompt)).AllowEmpty();
        if (question.Secret) prompt.Secret();
        var shown = Show(question, suggested);
        if (shown.Length > 0) prompt.DefaultValue(shown).ShowDefaultValue(!question.Secret);
        prompt.Validate(text =>
        {
            var (value, parseError) = Answers.Parse(question, text);
            var problem = parseError ?? answers.Check(question, value);
            return problem is null ? ValidationResult.Success() : ValidationResult.Error(Markup.Escape($"{question.Key}: {problem}"));
        });
        var answer = await console.PromptAsync(prompt, cancellationToken);
        return Answers.Parse(question, answer).Value;
    }

    private async Task<JsonNode?> ChooseAsync(Question question, Answers answers, JsonNode? suggested, CancellationToken cancellationToken)
    {
        var choices = question.Choices!(answers);
        var prompt = new SelectionPrompt<Choice>().Title(Markup.Escape(question.Prompt)).UseConverter(c => Markup.Escape(c.Label))
            .AddChoices(choices).PageSize(12);
        if (choices.Count > 8) prompt.EnableSearch().SearchPlaceholderText("(type to search)");
        if (choices.FirstOrDefault(c => c.Value == Show(question, suggested)) is { } preselected) prompt.DefaultValue(preselected);
        var picked = await console.PromptAsync(prompt, cancellationToken);
        console.MarkupLine($"{Markup.Escape(question.Prompt)}: [blue]{Markup.Escape(picked.Label)}[/]");
        return picked.Value;
    }

    // Two lists, as the catalogue is shaped: the model, then the cross-region inference profile it is used through.
    private async Task<JsonNode?> ChooseModelAsync(Answers answers, JsonNode? suggested, CancellationToken cancellationToken)
    {
        var models = ModelCatalogue.InPartition(answers.Partition);
        var current = ModelCatalogue.FindByModelId(suggested is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null);
        var modelPrompt = new SelectionPrompt<ClaudeModel>().Title("Claude model").PageSize(12)
            .UseConverter(m => Markup.Escape($"{m.DisplayName} ({string.Join(", ", m.Profiles.Select(p => p.ProfileKey))})"))
            .AddChoices(models).EnableSearch().SearchPlaceholderText("(type to search)");
        if (current is { } c && models.FirstOrDefault(m => m.Key == c.Model.Key) is { } m1) modelPrompt.DefaultValue(m1);
        var model = await console.PromptAsync(modelPrompt, cancellationToken);
        console.MarkupLine($"Claude model: [blue]{Markup.Escape(model.DisplayName)}[/]");

        var profilePrompt = new SelectionPrompt<InferenceProfile>().Title("Cross-region inference profile")
            .UseConverter(p => Markup.Escape($"{p.ProfileKey}: {p.Description} ({p.ModelId})")).AddChoices(model.Profiles);
        if (current is { } c2 && c2.Model.Key == model.Key && model.Profiles.FirstOrDefault(p => p.ProfileKey == c2.Profile.ProfileKey) is { } p1)
            profilePrompt.DefaultValue(p1);
        var profile = await console.PromptAsync(profilePrompt, cancellationToken);
        console.MarkupLine($"Cross-region inference profile: [blue]{Markup.Escape(profile.ProfileKey)}[/] ({Markup.Escape(profile.ModelId)})");
        // A new model means new regions: let them be derived again rather than keep the old model's.
        answers.Set("cross_region_profile", null);
        answers.Set("allowed_bedrock_regions", null);
        answers.Set("selected_source_region", null);
        return profile.ModelId;
    }

    /// <summary>A stored value as the text the prompt shows and accepts back.</summary>
    private static string Show(Question question, JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonObject pairs when question.Kind == AnswerKind.Pairs => string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")),
        _ => value.ToJsonString(),
    };
}
