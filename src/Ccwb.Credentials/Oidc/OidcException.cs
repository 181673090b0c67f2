namespace Ccwb.Credentials.Oidc;

/// <summary>A sign-in step failed; the message is shown to the user as it is.</summary>
public class OidcException(string message, Exception? inner = null) : Exception(message, inner);
