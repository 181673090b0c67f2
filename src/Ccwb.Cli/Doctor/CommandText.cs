namespace Ccwb.Cli.Doctor;

/// <summary>The program a command line runs: its first word, with the quotes installers put around paths taken off.</summary>
internal static class CommandText
{
    public static string Program(string command)
    {
        var text = command.Trim();
        if (text.Length > 0 && text[0] is '"' or '\'')
        {
            var end = text.IndexOf(text[0], 1);
            return end > 0 ? text[1..end] : text[1..];
        }
        var space = text.IndexOf(' ');
        return space < 0 ? text : text[..space];
    }
}
