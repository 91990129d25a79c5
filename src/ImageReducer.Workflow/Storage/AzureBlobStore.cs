using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace ImageReducer.Workflow.Storage;

/// <summary>An <see cref="IBlobStore"/> on Azure Blob Storage (or Azurite).</summary>
/// <remarks>
/// <para>One <see cref="BlobServiceClient"/> is created per store and shared by every call, as the
/// Azure SDK recommends; create one store per account and process. Containers are created on
/// demand, once per store.</para>
/// <para>Writes are atomic on the service: a single Put Blob, or staged blocks committed as one
/// block list; copies are server-side. <see cref="Azure.RequestFailedException"/> is translated:
/// 404 → <see cref="BlobNotFoundException"/>; 409 BlobAlreadyExists / 412 →
/// <see cref="BlobAlreadyExistsException"/>; InvalidBlockList → <see cref="InvalidBlockListException"/>;
/// anything else → <see cref="BlobStoreException"/>. Thread-safe.</para>
/// </remarks>
public sealed class AzureBlobStore : IBlobStore
{
    // Chunk through which a response body is copied into memory that is not a byte array.
    private const int ReadChunkBytes = 128 * 1024;

    private readonly BlobServiceClient service;
    private readonly AzureBlobStoreOptions options;
    private readonly ConcurrentDictionary<string, Lazy<Task>> containers = new(StringComparer.Ordinal);

    /// <summary>A store on the account of a connection string (<c>UseDevelopmentStorage=true</c> for Azurite on default ports).</summary>
    public AzureBlobStore(string connectionString, AzureBlobStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        this.options = options ?? new AzureBlobStoreOptions();
        this.service = new BlobServiceClient(connectionString, this.options.ToClientOptions());
    }

    /// <summary>
    /// A store on the account at <paramref name="accountUrl"/> (<c>https://account.blob.core.windows.net</c>),
    /// authenticated by <paramref name="credential"/>, or by <see cref="DefaultAzureCredential"/> when null
    /// (managed identity in Azure, the developer's az login locally).
    /// </summary>
    public AzureBlobStore(Uri accountUrl, TokenCredential? credential = null, AzureBlobStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(accountUrl);
        this.options = options ?? new AzureBlobStoreOptions();
        this.service = new BlobServiceClient(accountUrl, credential ?? new DefaultAzureCredential(), this.options.ToClientOptions());
    }

    /// <summary>The account's blob endpoint, for <see cref="BlobPath.FromUri"/>.</summary>
    public Uri AccountUrl => this.service.Uri;

    /// <summary>The blob URL of <paramref name="path"/> in this account.</summary>
    public Uri GetBlobUrl(BlobPath path) => Blob(path).Uri;

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken = default)
    {
        BlobClient blob = Blob(path);
        try
        {
            // allowModifications: false pins the ETag seen at open, so a concurrent overwrite makes
            // the stream fail instead of mixing two versions; each buffer refill is one range request.
            var readOptions = new BlobOpenReadOptions(allowModifications: false) { BufferSize = this.options.ReadBufferSize };
            Stream stream = await blob.OpenReadAsync(readOptions, cancellationToken).ConfigureAwait(false);
            return new AzureReadStream(stream, path);
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, path);
        }
        catch (AggregateException e) when (AzureErrors.IsTransportFailure(e))
        {
            throw AzureErrors.Unreachable(e, path);
        }
    }

    /// <inheritdoc />
    public async Task<byte[]> ReadRangeAsync(BlobPath path, long offset, int length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        BlobClient blob = Blob(path);
        try
        {
            if (length == 0)
            {
                await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return [];
            }

            var download = new BlobDownloadOptions { Range = new HttpRange(offset, length) };
            Response<BlobDownloadResult> response = await blob.DownloadContentAsync(download, cancellationToken).ConfigureAwait(false);
            return response.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            // The range starts at or past the end (or the blob is empty): nothing to read, as a stream would say.
            return [];
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, path);
        }
        catch (AggregateException e) when (AzureErrors.IsTransportFailure(e))
        {
            throw AzureErrors.Unreachable(e, path);
        }
    }

    /// <inheritdoc />
    public async Task<int> ReadIntoAsync(BlobPath path, long offset, Memory<byte> destination, string? ifMatch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        BlobClient blob = Blob(path);
        try
        {
            var download = new BlobDownloadOptions
            {
                Range = new HttpRange(offset, Math.Max(1, destination.Length)),
                Conditions = ifMatch is null ? null : new BlobRequestConditions { IfMatch = new ETag("\"" + ifMatch + "\"") },
            };
            Response<BlobDownloadStreamingResult> response = await blob.DownloadStreamingAsync(download, cancellationToken).ConfigureAwait(false);
            Stream body = response.Value.Content;
            await using (body.ConfigureAwait(false))
            {
                return await ReadBodyAsync(body, destination, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            return 0;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new BlobReplacedException(path, ifMatch, null, e);
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, path);
        }
        catch (AggregateException e) when (AzureErrors.IsTransportFailure(e))
        {
            throw AzureErrors.Unreachable(e, path);
        }
        catch (IOException e)
        {
            // The connection broke in the middle of the body (the SDK retries only until the headers arrive).
            throw new BlobStoreException(path, $"Reading {destination.Length} bytes of '{path}' at {offset} failed: {e.Message}", e);
        }
    }

    /// <summary>Reads <paramref name="body"/> into <paramref name="destination"/> until it is full or the body ends.</summary>
    /// <remarks>
    /// Memory backed by an array is filled in place. Other memory (pixel arrays viewed as bytes) goes
    /// through a small chunk: the SDK's response streams leave ReadAsync(Memory) to the base Stream,
    /// which would rent a buffer as large as the whole request for each call.
    /// </remarks>
    private static async Task<int> ReadBodyAsync(Stream body, Memory<byte> destination, CancellationToken cancellationToken)
    {
        int done = 0;
        if (MemoryMarshal.TryGetArray<byte>(destination, out _))
        {
            while (done < destination.Length)
            {
                int n = await body.ReadAsync(destination[done..], cancellationToken).ConfigureAwait(false);
                if (n == 0) break;
                done += n;
            }

            return done;
        }

        byte[] chunk = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
        try
        {
            while (done < destination.Length)
            {
                int n = await body.ReadAsync(chunk.AsMemory(0, Math.Min(chunk.Length, destination.Length - done)), cancellationToken).ConfigureAwait(false);
                if (n == 0) break;
                chunk.AsSpan(0, n).CopyTo(destination.Span[done..]);
                done += n;
            }

            return done;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <inheritdoc />
    public Task WriteAsync(BlobPath path, Stream content, bool overwrite, CancellationToken cancellationToken = default) =>
        WriteAsync(path, content, overwrite ? BlobCondition.None : BlobCondition.IfAbsent, cancellationToken);

    /// <inheritdoc />
    public async Task<string> WriteAsync(BlobPath path, Stream content, BlobCondition condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(condition);
        var upload = new BlobUploadOptions
        {
            TransferOptions = this.options.ToTransferOptions(),
            Conditions = ConditionsOf(condition),
        };
        long start = content.CanSeek ? content.Position : -1;
        string etag = "";
        await Conditional(path, condition, () => WithContainerAsync(path, retryable: start >= 0, async () =>
        {
            if (start >= 0)
            {
                content.Position = start;
            }

            Response<BlobContentInfo> response = await Blob(path).UploadAsync(content, upload, cancellationToken).ConfigureAwait(false);
            etag = AzureErrors.Unquote(response.Value.ETag);
        }, cancellationToken)).ConfigureAwait(false);
        return etag;
    }

    /// <inheritdoc />
    public async Task StageBlockAsync(BlobPath path, string blockId, Stream content, CancellationToken cancellationToken = default)
    {
        BlockIds.Validate(blockId);
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanSeek)
        {
            // Put Block needs the length up front (and a retry needs to rewind): buffer the block.
            var buffered = new MemoryStream();
            await content.CopyToAsync(buffered, cancellationToken).ConfigureAwait(false);
            buffered.Position = 0;
            content = buffered;
        }

        long start = content.Position;
        var stage = new BlockBlobStageBlockOptions();
        if (this.options.ContentMd5 && content is MemoryStream memory && memory.TryGetBuffer(out ArraySegment<byte> bytes))
        {
            // The service checks the block against our MD5 (a corrupted upload fails instead of being
            // committed); Azurite then also skips its byte-at-a-time JavaScript CRC64, its slowest step.
            stage.TransferValidation = new UploadTransferValidationOptions
            {
                ChecksumAlgorithm = StorageChecksumAlgorithm.MD5,
                PrecalculatedChecksum = MD5.HashData(bytes.AsSpan((int)start)),
            };
        }

        await WithContainerAsync(path, retryable: true, async () =>
        {
            content.Position = start;
            await BlockBlob(path).StageBlockAsync(blockId, content, stage, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, bool overwrite, CancellationToken cancellationToken = default) =>
        CommitBlocksAsync(path, blockIds, overwrite ? BlobCondition.None : BlobCondition.IfAbsent, cancellationToken);

    /// <inheritdoc />
    public async Task<string> CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, BlobCondition condition, CancellationToken cancellationToken = default)
    {
        BlockIds.ValidateList(blockIds);
        ArgumentNullException.ThrowIfNull(condition);
        var commit = new CommitBlockListOptions { Conditions = ConditionsOf(condition) };
        string etag = "";
        await Conditional(path, condition, () => WithContainerAsync(path, retryable: true, async () =>
        {
            Response<BlobContentInfo> response = await BlockBlob(path).CommitBlockListAsync(blockIds, commit, cancellationToken).ConfigureAwait(false);
            etag = AzureErrors.Unquote(response.Value.ETag);
        }, cancellationToken)).ConfigureAwait(false);
        return etag;
    }

    private static BlobRequestConditions? ConditionsOf(BlobCondition condition) =>
        condition.MustBeAbsent ? new BlobRequestConditions { IfNoneMatch = ETag.All }
        : condition.ETag is { } etag ? new BlobRequestConditions { IfMatch = new ETag("\"" + etag + "\"") }
        : null;

    /// <summary>
    /// Runs a write under <paramref name="condition"/>: a refused If-Match (412, or 404 when the blob is gone) becomes
    /// <see cref="BlobChangedException"/>; a refused If-None-Match stays <see cref="BlobAlreadyExistsException"/>.
    /// </summary>
    private static async Task Conditional(BlobPath path, BlobCondition condition, Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (BlobStoreException e) when (condition.ETag is { } expected && e is BlobAlreadyExistsException or BlobNotFoundException)
        {
            throw new BlobChangedException(path, expected, null, e);
        }
    }

    /// <inheritdoc />
    public async Task<BlobInfo> GetPropertiesAsync(BlobPath path, CancellationToken cancellationToken = default)
    {
        try
        {
            Response<BlobProperties> response = await Blob(path).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            BlobProperties p = response.Value;
            return new BlobInfo(path, p.ContentLength, AzureErrors.Unquote(p.ETag), p.LastModified);
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, path);
        }
        catch (AggregateException e) when (AzureErrors.IsTransportFailure(e))
        {
            throw AzureErrors.Unreachable(e, path);
        }
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(BlobPath path, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await Blob(path).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, path);
        }
        catch (AggregateException e) when (AzureErrors.IsTransportFailure(e))
        {
            throw AzureErrors.Unreachable(e, path);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(BlobPath path, CancellationToken cancellationToken = default)
    {
        try
        {
            Response<bool> response = await Blob(path)
                .DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, conditions: null, cancellationToken)
                .ConfigureAwait(false);
            return response.Value;
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, path);
        }
        catch (AggregateException e) when (AzureErrors.IsTransportFailure(e))
        {
            throw AzureErrors.Unreachable(e, path);
        }
    }

    /// <inheritdoc />
    public async Task<int> DeletePrefixAsync(string container, string prefix, CancellationToken cancellationToken = default)
    {
        int deleted = 0;
        await foreach (BlobInfo blob in ListAsync(container, prefix, cancellationToken).ConfigureAwait(false))
        {
            if (await DeleteAsync(blob.Path, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }

        return deleted;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobInfo> ListAsync(
        string container, string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobPath.ValidateContainer(container);
        BlobPath.ValidatePrefix(prefix);
        var options = new GetBlobsOptions { Prefix = prefix.Length == 0 ? null : prefix };
        IAsyncEnumerator<BlobItem> items = this.service.GetBlobContainerClient(container)
            .GetBlobsAsync(options, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                BlobItem item;
                try
                {
                    if (!await items.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }

                    item = items.Current;
                }
                catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
                {
                    yield break;
                }
                catch (RequestFailedException e)
                {
                    throw new BlobStoreException(null, $"Listing '{container}/{prefix}*' failed: {e.Message}", e);
                }
                catch (AggregateException e) when (AzureErrors.IsTransportFailure(e))
                {
                    throw AzureErrors.Unreachable(e, null);
                }

                yield return InfoOf(container, item);
            }
        }
        finally
        {
            await items.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>One List Blobs request: the service's page and its continuation marker.</remarks>
    public async Task<BlobListPage> ListPageAsync(
        string container, string prefix, string? continuation, int maxResults, CancellationToken cancellationToken = default)
    {
        BlobPath.ValidateContainer(container);
        BlobPath.ValidatePrefix(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, BlobListPage.MaxPageSize);
        var options = new GetBlobsOptions { Prefix = prefix.Length == 0 ? null : prefix };
        try
        {
            await foreach (Page<BlobItem> page in this.service.GetBlobContainerClient(container)
                .GetBlobsAsync(options, cancellationToken)
                .AsPages(string.IsNullOrEmpty(continuation) ? null : continuation, maxResults)
                .ConfigureAwait(false))
            {
                return new BlobListPage([.. page.Values.Select(item => InfoOf(container, item))],
                    string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
            }

            return new BlobListPage([], null);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return new BlobListPage([], null);
        }
        catch (RequestFailedException e) when (e.Status == 400 && continuation is not null)
        {
            throw new ArgumentException($"'{continuation}' is not a continuation of the listing of '{container}/{prefix}*': {e.ErrorCode}.", nameof(continuation), e);
        }
        catch (RequestFailedException e)
        {
            throw new BlobStoreException(null, $"Listing '{container}/{prefix}*' failed: {e.Message}", e);
        }
        catch (AggregateException e) when (AzureErrors.IsTransportFailure(e))
        {
            throw AzureErrors.Unreachable(e, null);
        }
    }

    private static BlobInfo InfoOf(string container, BlobItem item) => new(
        new BlobPath(container, item.Name),
        item.Properties.ContentLength ?? 0,
        AzureErrors.Unquote(item.Properties.ETag ?? default),
        item.Properties.LastModified ?? default);

    /// <inheritdoc />
    public async Task CopyAsync(BlobPath source, BlobPath destination, bool overwrite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var copy = new BlobCopyFromUriOptions
        {
            DestinationConditions = overwrite ? null : new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        await WithContainerAsync(destination, retryable: true, async () =>
        {
            try
            {
                CopyFromUriOperation operation = await Blob(destination)
                    .StartCopyFromUriAsync(Blob(source).Uri, copy, cancellationToken).ConfigureAwait(false);
                await operation.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.CannotVerifyCopySource || e.ErrorCode == BlobErrorCode.BlobNotFound)
            {
                throw new BlobNotFoundException(source, e);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(BlobPath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var upload = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        try
        {
            await WithContainerAsync(path, retryable: true, async () =>
            {
                await Blob(path).UploadAsync(new BinaryData(content), upload, cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (BlobAlreadyExistsException)
        {
            return false;
        }
    }

    private BlobClient Blob(BlobPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return this.service.GetBlobContainerClient(path.Container).GetBlobClient(path.Name);
    }

    private BlockBlobClient BlockBlob(BlobPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return this.service.GetBlobContainerClient(path.Container).GetBlockBlobClient(path.Name);
    }

    /// <summary>
    /// Runs a write after making sure its container exists. If the container vanished since (someone
    /// deleted it), it is created again and a replayable write runs once more.
    /// </summary>
    private async Task WithContainerAsync(BlobPath path, bool retryable, Func<Task> write, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            await write().ConfigureAwait(false);
            return;
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound && retryable)
        {
            containers.TryRemove(path.Container, out _);
        }
        catch (RequestFailedException e)
        {
            if (e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                containers.TryRemove(path.Container, out _);
            }

            throw AzureErrors.Translate(e, path);
        }
        catch (AggregateException e) when (AzureErrors.IsTransportFailure(e))
        {
            throw AzureErrors.Unreachable(e, path);
        }

        await EnsureContainerAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw AzureErrors.Translate(e, path);
        }
        catch (AggregateException e) when (AzureErrors.IsTransportFailure(e))
        {
            throw AzureErrors.Unreachable(e, path);
        }
    }

    private async Task EnsureContainerAsync(BlobPath path, CancellationToken cancellationToken)
    {
        Lazy<Task> creation = containers.GetOrAdd(
            path.Container,
            name => new Lazy<Task>(() => this.service.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: CancellationToken.None)));
        try
        {
            await creation.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            containers.TryRemove(KeyValuePair.Create(path.Container, creation));
            throw new BlobStoreException(path, $"Container '{path.Container}' could not be created: {e.Message}", e);
        }
        catch (AggregateException e) when (AzureErrors.IsTransportFailure(e))
        {
            // Storage unreachable after all retries: forget the attempt so the next call tries again.
            containers.TryRemove(KeyValuePair.Create(path.Container, creation));
            throw AzureErrors.Unreachable(e, path);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            containers.TryRemove(KeyValuePair.Create(path.Container, creation));
            throw;
        }
    }
}
