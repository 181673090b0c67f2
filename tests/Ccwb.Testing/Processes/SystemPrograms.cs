namespace Ccwb.Testing.Processes;

/// <summary>Programs from the operating system that a version manager on PATH could otherwise shadow.</summary>
public static class SystemPrograms
{
    /// <summary>Python 3 from the system (the pyenv shim may point at a version without the standard tools).</summary>
    public static string Python3 => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}
