using System.Text.Json;
using System.Text.Json.Nodes;
using Ccwb.Profiles;
using Ccwb.Profiles.Store;
using Ccwb.Profiles.Validation;

namespace Ccwb.Cli.Init;

/// <summary>
/// <c>ccwb init --non-interactive</c>: walks the wizard's questions without asking, taking each answer from the answers
/// file or <c>--set</c> (else its default), and writes the profile only when every answer is good; otherwise it lists
/// every missing or bad answer at once.
/// </summary>
internal static class NonInteractiveInit
{
    public static async Task<int> RunAsync(ProfileStore store, string? name, JsonObject given, bool managed, ProviderDiscovery discovery,
        TextWriter error, CancellationToken cancellationToken)
    {
        if (name is null) return Findings.Fail(error, "name", "is required: pass --profile NAME (or \"name\" in the answers file)");
        if (InitCommand.NameProblem(name) is { } nameProblem) return Findings.Fail(error, "name", nameProblem);

        var document = InitCommand.Existing(store, name);
        foreach (var (key, value) in given) document[key] = value?.DeepClone();
        var answers = new Answers(name, document, managed);
        var findings = new List<ProfileMessage>();

        foreach (var question in WizardSteps.Create(discovery).SelectMany(s => s.Questions))
        {
            if (!question.Applies(answers)) continue;
            var value = answers.Get(question.Key);
            // The same spellings the prompts accept (a domain pasted as a URL, a thumbprint with colons).
            if (question.Kind == AnswerKind.Text && value is JsonValue text)
            {
                // --set reads JSON, so an account id or client id made of digits arrives as a number: it is still text.
                var typed = text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>()
                    : text.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? text.ToJsonString() : null;
                if (typed is not null) answers.Set(question.Key, value = Answers.Normalize(question.Key, typed.Trim()));
            }
            if (value is null && question.Default(answers) is { } suggested) answers.Set(question.Key, value = suggested);
            if (value is null && !question.Optional)
                findings.Add(new(question.Key, $"is required: give it in --answers or with --set {question.Key}=VALUE"));
            else if (value is not null && answers.Check(question, value) is { } problem)
                findings.Add(new(question.Key, problem));

            if (!discovery.Offline && WizardSteps.IsIssuerComplete(question, answers) && answers.Profile().Profile is { } partial &&
                ProviderDiscovery.IssuerOf(partial) is { } issuer &&
                await discovery.CheckAsync(issuer, cancellationToken) is { } discoveryProblem)
                findings.Add(new(IssuerKey(answers), discoveryProblem + " (pass --skip-discovery when the provider cannot be reached from here)"));
        }

        if (WizardSteps.NoModelsMessage(answers) is { } noModels) findings.Add(new("selected_model", noModels, Severity.Warning));
        var profile = Validate(answers, findings);
        var errors = findings.Where(f => f.Severity == Severity.Error).ToList();
        Findings.Print(error, findings.Where(f => f.Severity == Severity.Warning));
        if (errors.Count > 0 || profile is null)
        {
            Findings.Print(error, errors);
            error.WriteLine($"Nothing was written: {errors.Count} answer(s) to fix.");
            return 1;
        }
        var code = InitCommand.Save(store, profile, Console.Out, error);
        // A wizard left unfinished for this profile is superseded by the profile just written.
        if (code == 0) new InitProgress(store, name).Delete();
        return code;
    }

    /// <summary>The key a failed discovery check is reported on: the one the administrator typed the issuer into.</summary>
    public static string IssuerKey(Answers answers) => answers.ProviderType switch
    {
        "generic" => "oidc_issuer_url",
        "cognito" => "cognito_user_pool_id",
        _ => "provider_domain",
    };

    /// <summary>
    /// Binds and validates the profile, adding each finding about a key not already reported; values of the wrong type
    /// are reported and left out so the rules still judge everything else.
    /// </summary>
    private static DeploymentProfile? Validate(Answers answers, List<ProfileMessage> findings)
    {
        var document = answers.ProfileDocument();
        var result = ProfileLoader.Read(document.ToJsonString(), answers.ProfileName);
        if (result.Profile is null)
        {
            Add(findings, result.Errors);
            foreach (var bad in result.Errors) document.Remove(bad.Field);
            result = ProfileLoader.Read(document.ToJsonString(), answers.ProfileName);
            if (result.Profile is null) return null;
            Add(findings, ProfileValidator.Validate(result.Profile));
            return null;
        }
        Add(findings, ProfileValidator.Validate(result.Profile));
        return result.Profile;
    }

    private static void Add(List<ProfileMessage> findings, IEnumerable<ProfileMessage> more)
    {
        foreach (var finding in more)
            if (!findings.Any(f => f.Severity == Severity.Error && Answers.Concerns(finding, f.Field)) && !findings.Contains(finding))
                findings.Add(finding);
    }
}
