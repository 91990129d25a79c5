using System.Collections.Concurrent;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Storage;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>A store that forwards everything and records which blobs were read, and how many bytes.</summary>
internal sealed class RecordingStore(IBlobStore inner) : DelegatingBlobStore(inner)
{
    /// <summary>Bytes read per blob name (streams count when opened: their whole length, as the readers here read small blobs whole).</summary>
    public ConcurrentDictionary<string, long> Reads { get; } = new(StringComparer.Ordinal);

    public override async Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken = default)
    {
        Stream s = await Inner.OpenReadAsync(path, cancellationToken);
        Reads.AddOrUpdate(path.Name, s.Length, (_, n) => n + s.Length);
        return s;
    }

    public override async Task<byte[]> ReadRangeAsync(BlobPath path, long offset, int length, CancellationToken cancellationToken = default)
    {
        byte[] bytes = await Inner.ReadRangeAsync(path, offset, length, cancellationToken);
        Reads.AddOrUpdate(path.Name, bytes.Length, (_, n) => n + bytes.Length);
        return bytes;
    }

    public override async Task<int> ReadIntoAsync(BlobPath path, long offset, Memory<byte> destination, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        int read = await Inner.ReadIntoAsync(path, offset, destination, ifMatch, cancellationToken);
        Reads.AddOrUpdate(path.Name, read, (_, n) => n + read);
        return read;
    }
}
