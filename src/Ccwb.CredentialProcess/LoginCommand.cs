using Ccwb.Credentials.Config;
using Ccwb.Credentials.Flow;

namespace Ccwb.CredentialProcess;

/// <summary><c>--login</c> outside IAM Identity Center, and the launcher its messages name.</summary>
internal static class LoginCommand
{
    public static int NotIdentityCenter(ProfileConfig config, Diagnostics diagnostics)
    {
        diagnostics.Info("--login is only supported for IAM Identity Center (auth_type=idc) profiles.");
        diagnostics.Info(config.IsPassthrough
            ? $"Profile '{config.Name}' uses your ambient AWS credentials: sign in with the AWS CLI (for example aws sso login) instead."
            : $"Profile '{config.Name}' signs in through your identity provider: run credential-process --profile {config.Name} to sign in.");
        return 1;
    }

    /// <summary>The <c>claude-bedrock</c> launcher the installer puts beside this program.</summary>
    public static string Launcher(string? installDirectory) =>
        Path.Combine(installDirectory ?? ".", OperatingSystem.IsWindows() ? "claude-bedrock.cmd" : "claude-bedrock");
}
