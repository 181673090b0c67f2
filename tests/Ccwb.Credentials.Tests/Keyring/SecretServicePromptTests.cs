using Ccwb.Credentials.Interop.Linux;
using Ccwb.Credentials.Storage;
using Ccwb.Credentials.Storage.Keyring;
using Ccwb.Testing;

namespace Ccwb.Credentials.Tests.Keyring;

/// <summary>
/// The Secret Service prompts (create the collection, unlock it) answered by gcr's mock prompter, which GNOME Keyring
/// talks to exactly as it talks to the desktop's password dialog.
/// </summary>
[Trait(Requires.Trait, Requires.Linux)]
public sealed class SecretServicePromptTests : IDisposable
{
    private readonly SecretServiceDaemon _daemon = SecretServiceDaemon.StartWithPrompter();

    public void Dispose() => _daemon.Dispose();

    private LinuxSecretServiceStore NewStore() => new(_daemon.Address, TimeSpan.FromMinutes(2)); // generous: a loaded machine can take seconds per prompt

    [Fact]
    public void Collection_is_created_through_the_prompt_when_the_user_gives_it_a_password()
    {
        _daemon.AnswerNextPrompt("new-collection-password");
        using (var store = NewStore()) store.Set("dev-credentials", "in a new collection");

        Assert.False(_daemon.PromptAnswersPending);
        using var inspector = new KeyringInspector(_daemon.Address);
        var collection = inspector.CollectionLabelled(ISecretStore.ServiceName);
        Assert.NotNull(collection);
        Assert.Single(inspector.ItemsIn(collection, "dev-credentials"));
        Assert.Empty(inspector.ItemsIn(KeyringInspector.LoginCollection, "dev-credentials"));
    }

    [Fact]
    public void Refused_collection_falls_back_to_the_default_one_and_asks_only_once_per_run()
    {
        _daemon.AnswerNextPrompt(null);
        _daemon.AnswerNextPrompt(null);
        using (var store = NewStore())
        {
            store.Set("dev-credentials", "one");
            store.Set("dev-monitoring", "two");
        }

        Assert.True(_daemon.PromptAnswersPending); // the second answer was never asked for
        using var inspector = new KeyringInspector(_daemon.Address);
        Assert.Null(inspector.CollectionLabelled(ISecretStore.ServiceName));
        Assert.Single(inspector.ItemsIn(KeyringInspector.LoginCollection, "dev-credentials"));
        Assert.Equal("two", NewStore().Get("dev-monitoring"));
    }

    [Fact]
    public void Locked_collection_is_unlocked_through_the_prompt()
    {
        using (var store = NewStore()) store.Set("dev-credentials", "kept while locked"); // into login: no answer queued
        using var inspector = new KeyringInspector(_daemon.Address);
        inspector.Lock(KeyringInspector.LoginCollection);

        _daemon.AnswerNextPrompt(SecretServiceDaemon.LoginPassword);
        using var reader = NewStore();
        Assert.Equal("kept while locked", reader.Get("dev-credentials"));
        Assert.False(inspector.IsLocked(KeyringInspector.LoginCollection));
    }

    [Fact]
    public void Unanswered_unlock_prompt_times_out_with_a_clear_message()
    {
        using (var store = NewStore()) store.Set("dev-credentials", "kept while locked");
        using var inspector = new KeyringInspector(_daemon.Address);
        inspector.Lock(KeyringInspector.LoginCollection);

        _daemon.DelayPromptAnswers(TimeSpan.FromSeconds(5));
        _daemon.AnswerNextPrompt(SecretServiceDaemon.LoginPassword);
        using var impatient = new LinuxSecretServiceStore(_daemon.Address, TimeSpan.FromSeconds(1));
        var error = Assert.Throws<SecretStoreException>(() => impatient.Get("dev-credentials"));
        Assert.Contains("locked", error.Message, StringComparison.Ordinal);
        Assert.Contains("not answered within 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelled_unlock_prompt_fails_with_a_clear_message()
    {
        using (var store = NewStore()) store.Set("dev-credentials", "kept while locked");
        using var inspector = new KeyringInspector(_daemon.Address);
        inspector.Lock(KeyringInspector.LoginCollection);

        _daemon.AnswerNextPrompt(null);
        using var reader = NewStore();
        var error = Assert.Throws<SecretStoreException>(() => reader.Get("dev-credentials"));
        Assert.Contains("locked", error.Message, StringComparison.Ordinal);
        Assert.Contains("dismissed", error.Message, StringComparison.Ordinal);
        Assert.True(inspector.IsLocked(KeyringInspector.LoginCollection));
    }
}
