using System.Text;
using Ccwb.Credentials.Flow;
using Ccwb.Credentials.Oidc;
using Ccwb.Credentials.Storage;

namespace Ccwb.CredentialProcess;

/// <summary>
/// <c>--set-client-secret</c>: stores the Entra ID client secret as <c>&lt;profile&gt;-client-secret</c> in the OS
/// secret store; an empty secret removes it. Works without config.json.
/// </summary>
internal static class ClientSecretCommand
{
    public static int Run(string profile, Diagnostics diagnostics)
    {
        var secret = Environment.GetEnvironmentVariable("CCWB_CLIENT_SECRET");
        if (string.IsNullOrEmpty(secret))
        {
            diagnostics.Writer.Write($"Enter client secret for profile '{profile}' (press Enter to clear): ");
            secret = ReadHidden();
            diagnostics.Writer.WriteLine();
        }
        var store = CredentialCaches.SecretStore();
        var key = ClientAuthentication.ClientSecretKey(profile);
        if (secret.Length == 0)
        {
            store.Remove(key);
            diagnostics.Info($"✓ Client secret cleared for profile '{profile}'");
            return 0;
        }
        store.Set(key, secret);
        diagnostics.Info($"✓ Client secret stored for profile '{profile}'");
        return 0;
    }

    private static string ReadHidden()
    {
        if (Console.IsInputRedirected) return Console.In.ReadLine() ?? "";
        var secret = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) return secret.ToString();
            if (key.Key == ConsoleKey.Backspace) { if (secret.Length > 0) secret.Length--; }
            else if (!char.IsControl(key.KeyChar)) secret.Append(key.KeyChar);
        }
    }
}
