using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Storage;

namespace ImageReducer.Workflow.Tests.Reliability;

/// <summary>
/// A store that passes everything to another and counts the bytes downloaded (range reads and bytes
/// read from opened streams): proves a step refused an input before downloading it.
/// </summary>
public sealed class CountingBlobStore(IBlobStore inner) : DelegatingBlobStore(inner)
{
    private long bytesRead;

    /// <summary>Bytes downloaded through this store so far.</summary>
    public long BytesRead => Interlocked.Read(ref bytesRead);

    private void Add(long n) => Interlocked.Add(ref bytesRead, n);

    public override async Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken = default) =>
        new CountedStream(await Inner.OpenReadAsync(path, cancellationToken).ConfigureAwait(false), this);

    public override async Task<byte[]> ReadRangeAsync(BlobPath path, long offset, int length, CancellationToken cancellationToken = default)
    {
        byte[] bytes = await Inner.ReadRangeAsync(path, offset, length, cancellationToken).ConfigureAwait(false);
        Add(bytes.Length);
        return bytes;
    }

    public override async Task<int> ReadIntoAsync(BlobPath path, long offset, Memory<byte> destination, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        int read = await Inner.ReadIntoAsync(path, offset, destination, ifMatch, cancellationToken).ConfigureAwait(false);
        Add(read);
        return read;
    }

    /// <summary>A read stream that reports what it returns to its store.</summary>
    private sealed class CountedStream(Stream stream, CountingBlobStore owner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => stream.CanSeek;
        public override bool CanWrite => false;
        public override long Length => stream.Length;
        public override long Position { get => stream.Position; set => stream.Position = value; }
        public override int Read(byte[] buffer, int offset, int count) => Counted(stream.Read(buffer, offset, count));
        public override int Read(Span<byte> buffer) => Counted(stream.Read(buffer));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => stream.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) stream.Dispose();
            base.Dispose(disposing);
        }

        private int Counted(int n)
        {
            owner.Add(n);
            return n;
        }
    }
}
