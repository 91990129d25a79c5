using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>A store that "crashes" (throws) on the first write of a blob whose name ends with a given suffix, then behaves.</summary>
internal sealed class CrashingStore(IBlobStore inner, string crashOnWriteOf) : IBlobStore
{
    private int crashed;

    public Task WriteAsync(BlobPath path, Stream content, bool overwrite, CancellationToken cancellationToken = default)
    {
        if (path.Name.EndsWith(crashOnWriteOf, StringComparison.Ordinal) && Interlocked.Exchange(ref crashed, 1) == 0)
            throw new IOException($"simulated crash before writing {path}");
        return inner.WriteAsync(path, content, overwrite, cancellationToken);
    }

    public Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken = default) => inner.OpenReadAsync(path, cancellationToken);
    public Task<byte[]> ReadRangeAsync(BlobPath path, long offset, int length, CancellationToken cancellationToken = default) => inner.ReadRangeAsync(path, offset, length, cancellationToken);
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
