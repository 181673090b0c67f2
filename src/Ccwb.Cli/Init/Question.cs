using System.Text.Json.Nodes;

namespace Ccwb.Cli.Init;

/// <summary>How an answer is entered and stored.</summary>
internal enum AnswerKind
{
    /// <summary>Free text, stored as a string.</summary>
    Text,
    /// <summary>One of <see cref="Question.Choices"/>, stored as its value.</summary>
    Choice,
    /// <summary>Yes or no, stored as true or false.</summary>
    YesNo,
    /// <summary>A number, stored as a JSON number (text that is not one is left for the profile rules to reject).</summary>
    Number,
    /// <summary><c>Key=Value</c> pairs separated by commas, stored as an object.</summary>
    Pairs,
    /// <summary>A model: picked as model then cross-region profile, stored as the inference profile id.</summary>
    Model,
}

/// <summary>One entry of a pick list: the value stored and what the administrator reads.</summary>
internal sealed record Choice(string Value, string Label);

/// <summary>
/// One question of the wizard, answering one profile key. What makes an answer bad is not restated here: the answer is
/// put into the profile and the profile rules judge it (<see cref="Answers.Check"/>).
/// </summary>
/// <param name="Key">The profile key the answer is stored under.</param>
/// <param name="Applies">Whether the question is asked, given the answers so far.</param>
/// <param name="Default">The suggested answer (null: none, so the answer is required unless <paramref name="Optional"/>).</param>
/// <param name="Optional">A blank answer is allowed and leaves the key unset.</param>
internal sealed record Question(
    string Key,
    string Prompt,
    AnswerKind Kind,
    Func<Answers, bool> Applies,
    Func<Answers, JsonNode?> Default,
    bool Optional = false,
    Func<Answers, IReadOnlyList<Choice>>? Choices = null,
    bool Secret = false);

/// <summary>A group of questions; its marker is saved in the progress file when it is done, and skipped on resume.</summary>
internal sealed record Step(string Marker, string Title, IReadOnlyList<Question> Questions);
