using System.Text;

namespace Ccwb.CredentialProcess;

/// <summary>A <see cref="TextWriter"/> that creates the real writer only when something is written.</summary>
internal sealed class LazyWriter(Func<TextWriter> create) : TextWriter
{
    private TextWriter? inner;

    private TextWriter Inner => inner ??= create();

    public override Encoding Encoding => Inner.Encoding;

    public override void Write(char value) => Inner.Write(value);

    public override void Write(string? value) => Inner.Write(value);

    public override void WriteLine(string? value) => Inner.WriteLine(value);

    public override void Flush() => inner?.Flush();
}
