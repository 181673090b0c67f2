namespace Ccwb.Credentials.Config;

/// <summary>config.json is missing, unreadable, malformed, or does not name the requested profile.</summary>
public sealed class ConfigException(string message, Exception? inner = null) : Exception(message, inner);
