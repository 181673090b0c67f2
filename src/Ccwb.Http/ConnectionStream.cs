namespace Ccwb.Http;

/// <summary>The Stream plumbing shared by the connection streams: reads and writes go to the span overloads.</summary>
internal abstract class ConnectionStream : Stream
{
    public abstract override int Read(Span<byte> buffer);
    public abstract override void Write(ReadOnlySpan<byte> buffer);

    /// <summary>
    /// Whether the end of the stream, once read, is known to be the server's own: a body without a length (read to
    /// the end of the connection) counts only then.
    /// </summary>
    public virtual bool EndedCleanly => true;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override void Flush() { }
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
