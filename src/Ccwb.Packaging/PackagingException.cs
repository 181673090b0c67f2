namespace Ccwb.Packaging;

/// <summary>A packaging step failed for a reason the user can act on; the message is shown as is, on one line.</summary>
public sealed class PackagingException : Exception
{
    public PackagingException(string message) : base(message) { }

    public PackagingException(string message, Exception inner) : base(message, inner) { }

    public PackagingException() { }
}
