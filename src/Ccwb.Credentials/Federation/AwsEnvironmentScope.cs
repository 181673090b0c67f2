namespace Ccwb.Credentials.Federation;

/// <summary>
/// Removes the AWS profile and key variables from this process (and so from anything it starts) for the duration of
/// federation, and restores them afterwards: nothing during federation may resolve credentials through this helper.
/// </summary>
public sealed class AwsEnvironmentScope : IDisposable
{
    public static readonly string[] Variables = ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

    private readonly Dictionary<string, string?> saved = new(StringComparer.Ordinal);

    public AwsEnvironmentScope()
    {
        foreach (var name in Variables)
        {
            saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
    }
}
