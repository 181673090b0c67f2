namespace Ccwb.Rendering.Cowork;

/// <summary>How a key's value is typed in <c>cowork-3p-config.json</c>. Every MDM format stores it as a string.</summary>
public enum CoworkValueType
{
    /// <summary>A plain string.</summary>
    Text,
    /// <summary>A boolean; MDM formats store "true" or "false".</summary>
    Switch,
    /// <summary>A whole number; MDM formats store its decimal digits.</summary>
    Number,
    /// <summary>A number that Claude Desktop reads as a string everywhere (e.g. the helper TTL).</summary>
    NumberText,
    /// <summary>A boolean that Claude Desktop reads as the string "true"/"false" everywhere.</summary>
    SwitchText,
    /// <summary>A JSON array, native in the JSON file and serialised JSON text in MDM formats.</summary>
    JsonArray,
    /// <summary>JSON text held in a string in every format (e.g. managedMcpServers).</summary>
    JsonText,
}

/// <summary>Group a key appears under in Group Policy and in documentation.</summary>
public enum CoworkCategory
{
    Inference,
    Credentials,
    Features,
    Extensions,
    Monitoring,
    Network,
    Updates,
    Privacy,
}

/// <summary>Which operating systems read the key.</summary>
[Flags]
public enum CoworkPlatforms
{
    MacOs = 1,
    Windows = 2,
    All = MacOs | Windows,
}

/// <summary>
/// One Claude Desktop (Cowork third-party mode) managed-configuration key: its description, from which the ADMX/ADML
/// policies are generated and which each emitted setting carries (<see cref="CoworkSetting.Key"/>).
/// </summary>
/// <param name="Name">The preference / registry value name, e.g. <c>inferenceBedrockRegion</c>.</param>
/// <param name="Type">Value type in the JSON file.</param>
/// <param name="Category">Group Policy category.</param>
/// <param name="DisplayName">Short title (the ADML policy name).</param>
/// <param name="Description">What it does, for the ADML explain text and the README.</param>
/// <param name="Default">Claude Desktop's behaviour when the key is absent, as a sentence.</param>
/// <param name="EmittedWhen">When the generator writes the key.</param>
/// <param name="MaxLength">Longest value the Group Policy editor accepts for text keys.</param>
public sealed record CoworkKey(
    string Name,
    CoworkValueType Type,
    CoworkCategory Category,
    string DisplayName,
    string Description,
    string Default,
    string EmittedWhen,
    CoworkPlatforms Platforms = CoworkPlatforms.All,
    int MaxLength = 1024)
{
    /// <summary>The ADMX policy name: the key with its first letter upper-cased (<c>InferenceBedrockRegion</c>).</summary>
    public string PolicyName => char.ToUpperInvariant(Name[0]) + Name[1..];

    /// <summary>True when Group Policy shows an on/off switch rather than a text box.</summary>
    public bool IsSwitch => Type is CoworkValueType.Switch or CoworkValueType.SwitchText;
}
