using Ccwb.Credentials.Interop.Linux.Native;
using Tmds.DBus.Protocol;

namespace Ccwb.Credentials.Tests.Keyring;

/// <summary>
/// Looks at and arranges a GNOME Keyring from the side, as the user's other tools would: which collection an item is
/// in, locking a collection, and creating or unlocking one with a password without an interactive prompt (GNOME
/// Keyring's own non-interactive interface, which Seahorse uses).
/// </summary>
internal sealed class KeyringInspector : IDisposable
{
    private const string GnomeInterface = "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface";
    private const string ServicePath = "/org/freedesktop/secrets";

    private readonly DBusConnection _connection;
    private readonly SecretServiceBus _bus;
    private readonly string _session;

    public KeyringInspector(string address)
    {
        _connection = new DBusConnection(address);
        _connection.ConnectAsync().AsTask().GetAwaiter().GetResult();
        _bus = SecretServiceBus.ConnectAsync(address).GetAwaiter().GetResult();
        _session = OpenPlainSession();
    }

    public const string LoginCollection = "/org/freedesktop/secrets/collection/login";

    public string? CollectionLabelled(string label)
    {
        foreach (var path in _bus.GetCollectionsAsync().GetAwaiter().GetResult())
            if (_bus.GetCollectionLabelAsync(path).GetAwaiter().GetResult() == label) return path;
        return null;
    }

    public string[] ItemsIn(string collection, string key) =>
        _bus.SearchItemsAsync(collection, Interop.Linux.LinuxSecretServiceStore.Attributes(key)).GetAwaiter().GetResult();

    public bool IsLocked(string collection) => _bus.IsCollectionLockedAsync(collection).GetAwaiter().GetResult();

    public string CreateCollectionWithPassword(string label, string password)
    {
        return _connection.CallMethodAsync(Message(), static (Message m, object? _) => m.GetBodyReader().ReadObjectPathAsString())
            .GetAwaiter().GetResult();

        MessageBuffer Message()
        {
            var writer = _connection.GetMessageWriter();
            try
            {
                writer.WriteMethodCallHeader(SecretServiceBus.BusName, ServicePath, GnomeInterface, "CreateWithMasterPassword", "a{sv}(oayays)");
                writer.WriteDictionary(new Dictionary<string, VariantValue>
                {
                    ["org.freedesktop.Secret.Collection.Label"] = VariantValue.String(label),
                });
                WriteSecret(ref writer, password);
                return writer.CreateMessage();
            }
            finally
            {
                writer.Dispose();
            }
        }
    }

    public void UnlockWithPassword(string collection, string password)
    {
        _connection.CallMethodAsync(Message()).GetAwaiter().GetResult();

        MessageBuffer Message()
        {
            var writer = _connection.GetMessageWriter();
            try
            {
                writer.WriteMethodCallHeader(SecretServiceBus.BusName, ServicePath, GnomeInterface, "UnlockWithMasterPassword", "o(oayays)");
                writer.WriteObjectPath(collection);
                WriteSecret(ref writer, password);
                return writer.CreateMessage();
            }
            finally
            {
                writer.Dispose();
            }
        }
    }

    public void Lock(string collection)
    {
        _connection.CallMethodAsync(Message()).GetAwaiter().GetResult();

        MessageBuffer Message()
        {
            using var writer = _connection.GetMessageWriter();
            writer.WriteMethodCallHeader(SecretServiceBus.BusName, ServicePath, "org.freedesktop.Secret.Service", "Lock", "ao");
            writer.WriteArray(new[] { new ObjectPath(collection) });
            return writer.CreateMessage();
        }
    }

    /// <summary>Sessions belong to the connection that opened them, so this one is opened on the raw connection.</summary>
    private string OpenPlainSession()
    {
        return _connection.CallMethodAsync(Message(), static (Message m, object? _) =>
        {
            var reader = m.GetBodyReader();
            reader.ReadVariantValue();
            return reader.ReadObjectPathAsString();
        }).GetAwaiter().GetResult();

        MessageBuffer Message()
        {
            using var writer = _connection.GetMessageWriter();
            writer.WriteMethodCallHeader(SecretServiceBus.BusName, ServicePath, "org.freedesktop.Secret.Service", "OpenSession", "sv");
            writer.WriteString("plain");
            writer.WriteVariantString("");
            return writer.CreateMessage();
        }
    }

    public void Dispose()
    {
        _bus.Dispose();
        _connection.Dispose();
    }

    private void WriteSecret(ref MessageWriter writer, string password)
    {
        writer.WriteStructureStart();
        writer.WriteObjectPath(_session);
        writer.WriteArray(Array.Empty<byte>());
        writer.WriteArray(System.Text.Encoding.UTF8.GetBytes(password));
        writer.WriteString("text/plain");
    }
}
