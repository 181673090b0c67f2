namespace Ccwb.Profiles.Validation;

/// <summary>
/// What the profile is about to be used for. Every purpose runs the rules about the profile itself; each adds the rules
/// of what it writes or runs, so a profile is asked only for what that output needs.
/// </summary>
public enum ValidationPurpose
{
    /// <summary>The profile on its own: loading it, <c>ccwb profile validate</c>, <c>ccwb context</c>.</summary>
    Profile,

    /// <summary>The credential helper's files: config.json, Claude Code settings, wrapper and install scripts.</summary>
    HelperConfig,

    /// <summary>Claude Desktop (Cowork) MDM files in the requested formats (<c>ccwb cowork generate</c>).</summary>
    CoworkFiles,

    /// <summary>A release package: the helper's files, and the Cowork files in every format when Cowork is enabled.</summary>
    Package,

    /// <summary>The CloudFormation stacks (<c>ccwb deploy</c>, <c>ccwb destroy</c>, the templates a package carries).</summary>
    Deploy,
}
