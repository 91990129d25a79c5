using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Storage;

/// <summary>
/// A store that passes every call to another; test stores derive from it and override only the calls
/// they record, count or break.
/// </summary>
public abstract class DelegatingBlobStore(IBlobStore inner) : IBlobStore
{
    /// <summary>The store calls go to.</summary>
    protected IBlobStore Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    public virtual Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken = default) => Inner.OpenReadAsync(path, cancellationToken);
    public virtual Task<byte[]> ReadRangeAsync(BlobPath path, long offset, int length, CancellationToken cancellationToken = default) => Inner.ReadRangeAsync(path, offset, length, cancellationToken);
    public virtual Task<int> ReadIntoAsync(BlobPath path, long offset, Memory<byte> destination, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        Inner.ReadIntoAsync(path, offset, destination, ifMatch, cancellationToken);
    public virtual Task WriteAsync(BlobPath path, Stream content, bool overwrite, CancellationToken cancellationToken = default) => Inner.WriteAsync(path, content, overwrite, cancellationToken);
    public virtual Task StageBlockAsync(BlobPath path, string blockId, Stream content, CancellationToken cancellationToken = default) => Inner.StageBlockAsync(path, blockId, content, cancellationToken);
    public virtual Task CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, bool overwrite, CancellationToken cancellationToken = default) => Inner.CommitBlocksAsync(path, blockIds, overwrite, cancellationToken);
    public virtual Task<string> WriteAsync(BlobPath path, Stream content, BlobCondition condition, CancellationToken cancellationToken = default) => Inner.WriteAsync(path, content, condition, cancellationToken);
    public virtual Task<string> CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, BlobCondition condition, CancellationToken cancellationToken = default) => Inner.CommitBlocksAsync(path, blockIds, condition, cancellationToken);
    public virtual Task<int> DiscardBlocksAsync(BlobPath path, string labelPrefix, CancellationToken cancellationToken = default) => Inner.DiscardBlocksAsync(path, labelPrefix, cancellationToken);
    public virtual Task<BlobInfo> GetPropertiesAsync(BlobPath path, CancellationToken cancellationToken = default) => Inner.GetPropertiesAsync(path, cancellationToken);
    public virtual Task<bool> ExistsAsync(BlobPath path, CancellationToken cancellationToken = default) => Inner.ExistsAsync(path, cancellationToken);
    public virtual Task<bool> DeleteAsync(BlobPath path, CancellationToken cancellationToken = default) => Inner.DeleteAsync(path, cancellationToken);
    public virtual Task<int> DeletePrefixAsync(string container, string prefix, CancellationToken cancellationToken = default) => Inner.DeletePrefixAsync(container, prefix, cancellationToken);
    public virtual IAsyncEnumerable<BlobInfo> ListAsync(string container, string prefix = "", CancellationToken cancellationToken = default) => Inner.ListAsync(container, prefix, cancellationToken);
    public virtual Task<BlobListPage> ListPageAsync(string container, string prefix, string? continuation, int maxResults, CancellationToken cancellationToken = default) =>
        Inner.ListPageAsync(container, prefix, continuation, maxResults, cancellationToken);
    public virtual Task CopyAsync(BlobPath source, BlobPath destination, bool overwrite, CancellationToken cancellationToken = default) => Inner.CopyAsync(source, destination, overwrite, cancellationToken);
    public virtual Task<bool> TryCreateAsync(BlobPath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => Inner.TryCreateAsync(path, content, cancellationToken);
}
