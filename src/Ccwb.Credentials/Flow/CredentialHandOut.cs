using Ccwb.Credentials.Federation;
using Ccwb.Credentials.Storage;
using Ccwb.Http;

namespace Ccwb.Credentials.Flow;

/// <summary>
/// Handing out credentials just minted, the same for every kind of profile: refused when a value holds a control
/// character, printed, then cached. A cache that cannot be written (a read-only home, a file another program holds
/// open on Windows) costs a sign-in next time, never the credentials of this one.
/// </summary>
internal static class CredentialHandOut
{
    public static void PrintThenCache(CommandContext context, AwsCredentials credentials)
    {
        if (ControlCharacterIn(credentials) is { } field)
            throw new FederationException($"the credentials received contain a control character in {field}; they are not used.");
        context.Stdout.WriteLine(CredentialOutput.Format(credentials));
        context.Stdout.Flush();
        Cache(context, credentials);
    }

    /// <summary>Saves credentials already handed out; a cache that cannot be written is a warning.</summary>
    public static void Cache(CommandContext context, AwsCredentials credentials)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                context.Cache.SaveCredentials(context.Config.Name, credentials);
                return;
            }
            catch (IOException e) when (IsSharingViolation(e) && attempt < 5)
            {
                Thread.Sleep(100 * attempt); // another program (an SDK reading the file) holds it open briefly
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                context.Diagnostics.Info($"warning: credential cache: cannot save the credentials ({TerminalText.Clean(e.Message, 200)}); the next call signs in again.");
                return;
            }
        }
    }

    // ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION as HRESULTs: Windows refuses to replace a file another process
    // has open. Elsewhere an IOException's HResult is an errno, never of this form.
    internal static bool IsSharingViolation(IOException e) => e.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021);

    /// <summary>The field holding a control character (a value that could break the INI file or the JSON line), or null.</summary>
    internal static string? ControlCharacterIn(AwsCredentials credentials) =>
        credentials.AccessKeyId.Any(char.IsControl) ? "AccessKeyId"
        : credentials.SecretAccessKey.Any(char.IsControl) ? "SecretAccessKey"
        : credentials.SessionToken.Any(char.IsControl) ? "SessionToken"
        : null;
}
