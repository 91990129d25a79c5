using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Reliability;

/// <summary>
/// A store that passes everything to another and counts the bytes downloaded (range reads and bytes
/// read from opened streams): proves a step refused an input before downloading it.
/// </summary>
public sealed class CountingBlobStore(IBlobStore inner) : IBlobStore
{
    private long bytesRead;

    /// <summary>Bytes downloaded through this store so far.</summary>
    public long BytesRead => Interlocked.Read(ref bytesRead);

    private void Add(long n) => Interlocked.Add(ref bytesRead, n);

    public async Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken = default) =>
        new CountedStream(await inner.OpenReadAsync(path, cancellationToken).ConfigureAwait(false), this);

    public async Task<byte[]> ReadRangeAsync(BlobPath path, long offset, int length, CancellationToken cancellationToken = default)
    {
        byte[] bytes = await inner.ReadRangeAsync(path, offset, length, cancellationToken).ConfigureAwait(false);
        Add(bytes.Length);
        return bytes;
    }

    public Task WriteAsync(BlobPath path, Stream content, bool overwrite, CancellationToken cancellationToken = default) => inner.WriteAsync(path, content, overwrite, cancellationToken);
    public Task StageBlockAsync(BlobPath path, string blockId, Stream content, CancellationToken cancellationToken = default) => inner.StageBlockAsync(path, blockId, content, cancellationToken);
    public Task CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, bool overwrite, CancellationToken cancellationToken = default) => inner.CommitBlocksAsync(path, blockIds, overwrite, cancellationToken);
    public Task<BlobInfo> GetPropertiesAsync(BlobPath path, CancellationToken cancellationToken = default) => inner.GetPropertiesAsync(path, cancellationToken);
    public Task<bool> ExistsAsync(BlobPath path, CancellationToken cancellationToken = default) => inner.ExistsAsync(path, cancellationToken);
    public Task<bool> DeleteAsync(BlobPath path, CancellationToken cancellationToken = default) => inner.DeleteAsync(path, cancellationToken);
    public Task<int> DeletePrefixAsync(string container, string prefix, CancellationToken cancellationToken = default) => inner.DeletePrefixAsync(container, prefix, cancellationToken);
    public IAsyncEnumerable<BlobInfo> ListAsync(string container, string prefix = "", CancellationToken cancellationToken = default) => inner.ListAsync(container, prefix, cancellationToken);
    public Task CopyAsync(BlobPath source, BlobPath destination, bool overwrite, CancellationToken cancellationToken = default) => inner.CopyAsync(source, destination, overwrite, cancellationToken);
    public Task<bool> TryCreateAsync(BlobPath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.TryCreateAsync(path, content, cancellationToken);

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
