using Tmds.DBus.Protocol;

namespace Ccwb.Credentials.Interop.Linux.Native;

/// <summary>A secret as the Secret Service API carries it: the D-Bus struct (oayays).</summary>
internal readonly record struct TransferSecret(string Session, byte[] Parameters, byte[] Value, string ContentType);

/// <summary>The outcome of a Secret Service prompt: dismissed by the user, or completed with a result.</summary>
internal readonly record struct PromptOutcome(bool Dismissed, VariantValue Result);

/// <summary>
/// The org.freedesktop.Secret.* methods this toolkit calls, one D-Bus message each, over Tmds.DBus.Protocol
/// (hand-written message code rather than generated proxies: it stays trimming- and AOT-safe and small).
/// </summary>
internal sealed class SecretServiceBus : IDisposable
{
    public const string BusName = "org.freedesktop.secrets";
    public const string NoObject = "/";
    private const string ServicePath = "/org/freedesktop/secrets";
    private const string ServiceInterface = "org.freedesktop.Secret.Service";
    private const string CollectionInterface = "org.freedesktop.Secret.Collection";
    private const string ItemInterface = "org.freedesktop.Secret.Item";
    private const string PromptInterface = "org.freedesktop.Secret.Prompt";
    private const string PropertiesInterface = "org.freedesktop.DBus.Properties";

    private readonly DBusConnection _connection;

    private SecretServiceBus(DBusConnection connection) => _connection = connection;

    public static async Task<SecretServiceBus> ConnectAsync(string address)
    {
        var connection = new DBusConnection(address);
        try
        {
            await connection.ConnectAsync();
            return new SecretServiceBus(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>Service.OpenSession; <paramref name="input"/> null sends the empty string the "plain" algorithm takes.</summary>
    public Task<(byte[] Output, string Session)> OpenSessionAsync(string algorithm, byte[]? input)
    {
        return _connection.CallMethodAsync(CreateMessage(), static (Message m, object? _) =>
        {
            var reader = m.GetBodyReader();
            var output = reader.ReadVariantValue();
            var session = reader.ReadObjectPathAsString();
            return (output.Type == VariantValueType.Array ? output.GetArray<byte>() : [], session);
        });

        MessageBuffer CreateMessage()
        {
            using var writer = _connection.GetMessageWriter();
            writer.WriteMethodCallHeader(BusName, ServicePath, ServiceInterface, "OpenSession", "sv");
            writer.WriteString(algorithm);
            if (input is null)
            {
                writer.WriteVariantString("");
            }
            else
            {
                writer.WriteSignature("ay");
                writer.WriteArray(input);
            }
            return writer.CreateMessage();
        }
    }

    public Task<string> ReadAliasAsync(string alias)
    {
        return _connection.CallMethodAsync(CreateMessage(),
            static (Message m, object? _) => m.GetBodyReader().ReadObjectPathAsString());

        MessageBuffer CreateMessage()
        {
            using var writer = _connection.GetMessageWriter();
            writer.WriteMethodCallHeader(BusName, ServicePath, ServiceInterface, "ReadAlias", "s");
            writer.WriteString(alias);
            return writer.CreateMessage();
        }
    }

    public async Task<string[]> GetCollectionsAsync()
    {
        var value = await GetPropertyAsync(ServicePath, ServiceInterface, "Collections");
        return value.GetArray<string>();
    }

    public async Task<string> GetCollectionLabelAsync(string collection) =>
        (await GetPropertyAsync(collection, CollectionInterface, "Label")).GetString();

    public async Task<bool> IsCollectionLockedAsync(string collection) =>
        (await GetPropertyAsync(collection, CollectionInterface, "Locked")).GetBool();

    public Task<(string Collection, string Prompt)> CreateCollectionAsync(string label)
    {
        return _connection.CallMethodAsync(CreateMessage(), ReadPathAndPrompt);

        MessageBuffer CreateMessage()
        {
            using var writer = _connection.GetMessageWriter();
            writer.WriteMethodCallHeader(BusName, ServicePath, ServiceInterface, "CreateCollection", "a{sv}s");
            writer.WriteDictionary(new Dictionary<string, VariantValue>
            {
                ["org.freedesktop.Secret.Collection.Label"] = VariantValue.String(label),
            });
            writer.WriteString(""); // no alias: the default collection stays the user's choice
            return writer.CreateMessage();
        }
    }

    public Task<string[]> SearchItemsAsync(string collection, IReadOnlyDictionary<string, string> attributes)
    {
        return _connection.CallMethodAsync(CreateMessage(),
            static (Message m, object? _) => m.GetBodyReader().ReadArrayOfObjectPath().Select(p => p.ToString()).ToArray());

        MessageBuffer CreateMessage()
        {
            var writer = _connection.GetMessageWriter();
            try
            {
                writer.WriteMethodCallHeader(BusName, collection, CollectionInterface, "SearchItems", "a{ss}");
                WriteStringDictionary(ref writer, attributes);
                return writer.CreateMessage();
            }
            finally
            {
                writer.Dispose();
            }
        }
    }

    public Task<(string[] Unlocked, string Prompt)> UnlockAsync(string objectPath)
    {
        return _connection.CallMethodAsync(CreateMessage(), static (Message m, object? _) =>
        {
            var reader = m.GetBodyReader();
            var unlocked = reader.ReadArrayOfObjectPath().Select(p => p.ToString()).ToArray();
            return (unlocked, reader.ReadObjectPathAsString());
        });

        MessageBuffer CreateMessage()
        {
            using var writer = _connection.GetMessageWriter();
            writer.WriteMethodCallHeader(BusName, ServicePath, ServiceInterface, "Unlock", "ao");
            writer.WriteArray(new[] { new ObjectPath(objectPath) });
            return writer.CreateMessage();
        }
    }

    public Task<TransferSecret> GetSecretAsync(string item, string session)
    {
        return _connection.CallMethodAsync(CreateMessage(), static (Message m, object? _) =>
        {
            var reader = m.GetBodyReader();
            reader.AlignStruct();
            return new TransferSecret(reader.ReadObjectPathAsString(), reader.ReadArrayOfByte(),
                                      reader.ReadArrayOfByte(), reader.ReadString());
        });

        MessageBuffer CreateMessage()
        {
            using var writer = _connection.GetMessageWriter();
            writer.WriteMethodCallHeader(BusName, item, ItemInterface, "GetSecret", "o");
            writer.WriteObjectPath(session);
            return writer.CreateMessage();
        }
    }

    /// <summary>Collection.CreateItem with replace: an item with the same attributes is overwritten, not duplicated.</summary>
    public Task<(string Item, string Prompt)> CreateItemAsync(
        string collection, string label, IReadOnlyDictionary<string, string> attributes, TransferSecret secret)
    {
        return _connection.CallMethodAsync(CreateMessage(), ReadPathAndPrompt);

        MessageBuffer CreateMessage()
        {
            var writer = _connection.GetMessageWriter();
            try
            {
                writer.WriteMethodCallHeader(BusName, collection, CollectionInterface, "CreateItem", "a{sv}(oayays)b");
                var properties = writer.WriteDictionaryStart();
                writer.WriteDictionaryEntryStart();
                writer.WriteString("org.freedesktop.Secret.Item.Label");
                writer.WriteVariantString(label);
                writer.WriteDictionaryEntryStart();
                writer.WriteString("org.freedesktop.Secret.Item.Attributes");
                writer.WriteSignature("a{ss}");
                WriteStringDictionary(ref writer, attributes);
                writer.WriteDictionaryEnd(properties);
                writer.WriteStructureStart();
                writer.WriteObjectPath(secret.Session);
                writer.WriteArray(secret.Parameters);
                writer.WriteArray(secret.Value);
                writer.WriteString(secret.ContentType);
                writer.WriteBool(true);
                return writer.CreateMessage();
            }
            finally
            {
                writer.Dispose();
            }
        }
    }

    /// <summary>Item.Delete; returns the prompt path, <see cref="NoObject"/> when none is needed.</summary>
    public Task<string> DeleteItemAsync(string item)
    {
        return _connection.CallMethodAsync(CreateMessage(),
            static (Message m, object? _) => m.GetBodyReader().ReadObjectPathAsString());

        MessageBuffer CreateMessage()
        {
            using var writer = _connection.GetMessageWriter();
            writer.WriteMethodCallHeader(BusName, item, ItemInterface, "Delete");
            return writer.CreateMessage();
        }
    }

    /// <summary>
    /// Shows a prompt (unlock, create collection) and waits for its Completed signal. The signal is subscribed to
    /// before Prompt is called so that a prompt answered at once is not missed.
    /// </summary>
    public async Task<PromptOutcome> PromptAsync(string prompt, TimeSpan timeout)
    {
        var completed = new TaskCompletionSource<PromptOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rule = new MatchRule
        {
            Type = MessageType.Signal,
            Path = prompt,
            Interface = PromptInterface,
            Member = "Completed",
        };
        using var subscription = await _connection.AddMatchAsync(
            rule,
            static (Message m, object? _) =>
            {
                var reader = m.GetBodyReader();
                var dismissed = reader.ReadBool();
                return new PromptOutcome(dismissed, reader.ReadVariantValue());
            },
            notification =>
            {
                if (notification.HasValue) completed.TrySetResult(notification.Value);
                else if (notification.IsCompletion) completed.TrySetException(notification.CompletionReason);
            },
            emitOnCapturedContext: false,
            ObserverFlags.None);

        await _connection.CallMethodAsync(CreatePromptMessage("Prompt"));
        try
        {
            return await completed.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            try
            {
                await _connection.CallMethodAsync(CreatePromptMessage("Dismiss")); // take the dialog off the screen
            }
            catch (DBusErrorReplyException)
            {
                // the prompt went away meanwhile; the timeout is still the story to tell
            }
            throw;
        }

        MessageBuffer CreatePromptMessage(string member)
        {
            using var writer = _connection.GetMessageWriter();
            writer.WriteMethodCallHeader(BusName, prompt, PromptInterface, member, member == "Prompt" ? "s" : null);
            if (member == "Prompt") writer.WriteString(""); // no parent window: a terminal program has none
            return writer.CreateMessage();
        }
    }

    private Task<VariantValue> GetPropertyAsync(string path, string @interface, string property)
    {
        return _connection.CallMethodAsync(CreateMessage(),
            static (Message m, object? _) => m.GetBodyReader().ReadVariantValue());

        MessageBuffer CreateMessage()
        {
            using var writer = _connection.GetMessageWriter();
            writer.WriteMethodCallHeader(BusName, path, PropertiesInterface, "Get", "ss");
            writer.WriteString(@interface);
            writer.WriteString(property);
            return writer.CreateMessage();
        }
    }

    private static (string, string) ReadPathAndPrompt(Message message, object? state)
    {
        var reader = message.GetBodyReader();
        return (reader.ReadObjectPathAsString(), reader.ReadObjectPathAsString());
    }

    /// <summary>Writes a{ss}. Callers dispose their writer in finally: a using-variable cannot be passed by ref.</summary>
    private static void WriteStringDictionary(ref MessageWriter writer, IReadOnlyDictionary<string, string> values)
    {
        var start = writer.WriteDictionaryStart();
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteDictionaryEntryStart();
            writer.WriteString(key);
            writer.WriteString(value);
        }
        writer.WriteDictionaryEnd(start);
    }
}
