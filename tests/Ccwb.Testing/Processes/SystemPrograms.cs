namespace Ccwb.Testing.Processes;

/// <summary>Programs from the operating system that a version manager on PATH could otherwise shadow.</summary>
public static class SystemPrograms
{
    /// <summary>Python 3 from the system (the pyenv shim may point at a version without the standard tools).</summary>
    /// <summary>
    /// AWS CLI v2 from Debian's awscli package (build/install-prerequisites.sh): a pyenv shim for CLI v1 comes first
    /// on PATH on the build image, so callers name this path rather than "aws".
    /// </summary>
    public const string AwsCli = "/usr/bin/aws";

    public static string Python3 => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}
