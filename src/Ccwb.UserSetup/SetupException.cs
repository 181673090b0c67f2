namespace Ccwb.UserSetup;

/// <summary>A problem with the user's files or the arguments: its message is shown (and logged) as it is.</summary>
public sealed class SetupException(string message) : Exception(message);
