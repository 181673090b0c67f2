namespace Ccwb.Credentials.Quota;

/// <summary>The quota check blocks this user: no credentials are handed out, the exit status is 1.</summary>
public sealed class QuotaBlockedException(string message) : Exception(message);
