using System.Collections.Concurrent;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>A store that forwards everything and records which blobs were read, and how many bytes.</summary>
internal sealed class RecordingStore(IBlobStore inner) : IBlobStore
{
    /// <summary>Bytes read per blob name (streams count when opened: their whole length, as the readers here read small blobs whole).</summary>
    public ConcurrentDictionary<string, long> Reads { get; } = new(StringComparer.Ordinal);

    public async Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken = default)
    {
        Stream s = await inner.OpenReadAsync(path, cancellationToken);
        Reads.AddOrUpdate(path.Name, s.Length, (_, n) => n + s.Length);
        return s;
    }

    public async Task<byte[]> ReadRangeAsync(BlobPath path, long offset, int length, CancellationToken cancellationToken = default)
    {
        byte[] bytes = await inner.ReadRangeAsync(path, offset, length, cancellationToken);
        Reads.AddOrUpdate(path.Name, bytes.Length, (_, n) => n + bytes.Length);
        return bytes;
    }

    public async Task<int> ReadIntoAsync(BlobPath path, long offset, Memory<byte> destination, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadIntoAsync(path, offset, destination, ifMatch, cancellationToken);
        Reads.AddOrUpdate(path.Name, read, (_, n) => n + read);
        return read;
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
}
