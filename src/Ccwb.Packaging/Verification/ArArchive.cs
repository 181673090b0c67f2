using System.Text;

namespace Ccwb.Packaging.Verification;

/// <summary>
/// The members of a Unix ar archive (the outer layer of a .deb). Hand-written because the format is a 8-byte magic and
/// 60-byte text headers, and no NuGet package served here reads it.
/// </summary>
public static class ArArchive
{
    private const string Magic = "!<arch>\n";

    public sealed record Member(string Name, byte[] Header, byte[] Content);

    public static IReadOnlyList<Member> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length || Encoding.ASCII.GetString(bytes, 0, Magic.Length) != Magic)
            throw new PackagingException($"{Path.GetFileName(path)}: not an ar archive");
        var members = new List<Member>();
        var offset = Magic.Length;
        while (offset + 60 <= bytes.Length)
        {
            var header = bytes[offset..(offset + 60)];
            var name = Encoding.ASCII.GetString(header, 0, 16).TrimEnd(' ').TrimEnd('/');
            if (!long.TryParse(Encoding.ASCII.GetString(header, 48, 10).Trim(), out var size) || size < 0 || offset + 60 + size > bytes.Length)
                throw new PackagingException($"{Path.GetFileName(path)}: damaged ar member header at byte {offset}");
            members.Add(new Member(name, header, bytes[(offset + 60)..(offset + 60 + (int)size)]));
            offset += 60 + (int)size + (int)(size % 2); // members are padded to an even offset
        }
        return members;
    }

    public static void Write(string path, IEnumerable<Member> members)
    {
        using var stream = File.Create(path);
        stream.Write(Encoding.ASCII.GetBytes(Magic));
        foreach (var member in members)
        {
            stream.Write(member.Header);
            stream.Write(member.Content);
            if (member.Content.Length % 2 == 1) stream.WriteByte((byte)'\n');
        }
    }
}
