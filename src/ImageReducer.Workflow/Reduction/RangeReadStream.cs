using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// A seekable read-only view of a blob that fetches small ranges on demand (one
/// <see cref="IBlobStore.ReadRangeAsync"/> per buffer miss): for reading FITS headers and small
/// tables of a large blob without downloading megabytes around each seek.
/// </summary>
/// <remarks>Synchronous reads block on the store; call from a worker thread. Not thread-safe. Counts the bytes fetched.</remarks>
internal sealed class RangeReadStream(IBlobStore store, BlobPath path, long length, int bufferSize = 16 * 1024) : Stream
{
    private byte[] buffer = [];
    private long bufferStart = -1;
    private long position;

    /// <summary>Bytes fetched from the store so far.</summary>
    public long BytesFetched { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => position; set => position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value)); }

    public override int Read(byte[] array, int offset, int count) => Read(array.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        if (position >= length || destination.Length == 0) return 0;
        if (bufferStart < 0 || position < bufferStart || position >= bufferStart + buffer.Length)
        {
            // A large request is fetched in one range; a small one fills a whole buffer for the reads that follow.
            int want = (int)Math.Min(Math.Max(bufferSize, destination.Length), length - position);
            buffer = store.ReadRangeAsync(path, position, want).GetAwaiter().GetResult();
            bufferStart = position;
            BytesFetched += buffer.Length;
            if (buffer.Length == 0) return 0;
        }
        int from = (int)(position - bufferStart);
        int n = Math.Min(destination.Length, buffer.Length - from);
        buffer.AsSpan(from, n).CopyTo(destination);
        position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };
        return position;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] array, int offset, int count) => throw new NotSupportedException();
}
