using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// A seekable read-only view of a blob for reading a few known byte ranges (the rows of a tile in
/// each plane): when a read enters one of them, the whole range is downloaded with parallel range
/// requests and kept until a read enters another, so only one range is in memory at a time. Reads
/// outside the ranges (headers, the PSF table) go through small range reads.
/// </summary>
/// <remarks>Synchronous reads block on the store; call from a worker thread. Not thread-safe. Counts the bytes fetched.</remarks>
internal sealed class PrefetchingBlobStream : Stream
{
    private readonly IBlobStore store;
    private readonly BlobPath path;
    private readonly (long Start, long Length)[] ranges;
    private readonly RangeReadStream small;
    private readonly int chunkBytes;
    private readonly int concurrency;
    private byte[]? loaded;
    private long loadedStart = -1;
    private long position;
    private long prefetched;

    /// <param name="store">The store.</param>
    /// <param name="path">The blob.</param>
    /// <param name="length">The blob's length.</param>
    /// <param name="ranges">Disjoint byte ranges to prefetch whole.</param>
    /// <param name="chunkBytes">Bytes per range request.</param>
    /// <param name="concurrency">Range requests in flight.</param>
    public PrefetchingBlobStream(IBlobStore store, BlobPath path, long length, IEnumerable<(long Start, long Length)> ranges,
        int chunkBytes = 4 << 20, int concurrency = 4)
    {
        this.store = store;
        this.path = path;
        this.ranges = [.. ranges.Where(r => r.Length > 0).OrderBy(r => r.Start)];
        this.chunkBytes = chunkBytes;
        this.concurrency = concurrency;
        Length = length;
        small = new RangeReadStream(store, path, length);
    }

    /// <summary>Bytes fetched from the store so far.</summary>
    public long BytesFetched => prefetched + small.BytesFetched;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length { get; }
    public override long Position { get => position; set => position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value)); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        if (position >= Length || destination.Length == 0) return 0;
        if (loaded is null || position < loadedStart || position >= loadedStart + loaded.Length)
        {
            int r = Array.FindIndex(ranges, x => position >= x.Start && position < x.Start + x.Length);
            if (r < 0)
            {
                small.Position = position;
                int n = small.Read(destination[..(int)Math.Min(destination.Length, NextRangeStart(position) - position)]);
                position += n;
                return n;
            }
            Load(ranges[r]);
        }
        int from = (int)(position - loadedStart);
        int count = Math.Min(destination.Length, loaded!.Length - from);
        loaded.AsSpan(from, count).CopyTo(destination);
        position += count;
        return count;
    }

    private long NextRangeStart(long at)
    {
        foreach (var r in ranges)
            if (r.Start > at) return r.Start;
        return Length;
    }

    private void Load((long Start, long Length) range)
    {
        loaded = null; // let the previous range go before the next is allocated
        var buffer = new byte[checked((int)range.Length)];
        int chunks = (int)((range.Length + chunkBytes - 1) / chunkBytes);
        Parallel.ForAsync(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (c, ct) =>
        {
            long offset = (long)c * chunkBytes;
            int want = (int)Math.Min(chunkBytes, range.Length - offset);
            byte[] part = await store.ReadRangeAsync(path, range.Start + offset, want, ct).ConfigureAwait(false);
            if (part.Length != want)
                throw new EndOfStreamException($"{path}: expected {want} bytes at {range.Start + offset}, got {part.Length}");
            part.CopyTo(buffer, offset);
        }).GetAwaiter().GetResult();
        prefetched += range.Length;
        loaded = buffer;
        loadedStart = range.Start;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => Length + offset,
        };
        return position;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) small.Dispose();
        loaded = null;
        base.Dispose(disposing);
    }
}
