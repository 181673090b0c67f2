namespace Ccwb.Credentials.IdentityCenter;

/// <summary>
/// IAM Identity Center refused or failed. <see cref="ErrorCode"/> is AWS's error code when it sent one
/// (<c>InvalidGrantException</c>, <c>ForbiddenException</c>, …).
/// </summary>
public class IdentityCenterException(string message, string? errorCode = null, Exception? inner = null) : Exception(message, inner)
{
    public string? ErrorCode { get; } = errorCode;
}
