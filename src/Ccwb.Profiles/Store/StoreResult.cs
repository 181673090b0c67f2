namespace Ccwb.Profiles.Store;

/// <summary>The outcome of a store operation: done, or the errors that stopped it before anything was written.</summary>
public sealed record StoreResult(IReadOnlyList<ProfileMessage> Errors)
{
    public static StoreResult Ok { get; } = new([]);

    public bool Succeeded => Errors.Count == 0;

    public static StoreResult Fail(string field, string message) => new([new ProfileMessage(field, message)]);
}
