namespace Ccwb.Rendering.Templates;

/// <summary>Line endings a file's consumer expects; applied after rendering, whatever the host OS.</summary>
public enum LineEnding
{
    Lf,
    /// <summary>Windows registry, batch and PowerShell files.</summary>
    CrLf,
}

public static class LineEndings
{
    public static string Apply(string text, LineEnding ending)
    {
        var lf = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        return ending == LineEnding.CrLf ? lf.Replace("\n", "\r\n", StringComparison.Ordinal) : lf;
    }
}
