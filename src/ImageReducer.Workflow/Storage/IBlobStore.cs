namespace ImageReducer.Workflow.Storage;

/// <summary>
/// The workflow's only door to storage: blobs in containers, on Azure Blob Storage
/// (<see cref="AzureBlobStore"/>) or in a local folder (<see cref="LocalFolderBlobStore"/>).
/// </summary>
/// <remarks>
/// <para>Every backend throws the same exceptions: <see cref="BlobNotFoundException"/> for a missing
/// blob, <see cref="BlobAlreadyExistsException"/> when a non-overwriting write finds one,
/// <see cref="InvalidBlockListException"/> for a commit naming unstaged blocks,
/// <see cref="BlobReplacedException"/> when a read pinned to one version finds the blob replaced,
/// <see cref="BlobStoreException"/> for other storage failures, <see cref="ArgumentException"/> for
/// invalid arguments, and <see cref="OperationCanceledException"/> when the token is cancelled.</para>
/// <para>Publication is atomic: a reader sees either no blob (or the previous content) or the whole
/// new content, never part of it; this holds for <see cref="WriteAsync(BlobPath, Stream, bool, CancellationToken)"/>,
/// <see cref="CommitBlocksAsync(BlobPath, IReadOnlyList{string}, bool, CancellationToken)"/> and <see cref="TryCreateAsync"/>. Implementations are
/// thread-safe and meant to be shared (one per process).</para>
/// </remarks>
public interface IBlobStore
{
    /// <summary>
    /// Opens the blob for reading as a seekable stream that fetches ranges on demand, so reading a
    /// header of a 200 MB image does not download the image.
    /// </summary>
    /// <remarks>
    /// The caller owns and disposes the stream. It reads the version current at open: a local file
    /// handle keeps reading that version after an overwrite; an Azure stream then fails with
    /// <see cref="BlobReplacedException"/> rather than mix two versions. To read a whole small blob
    /// that other writers may replace, use <see cref="BlobReads.ReadAllAsync"/>, which reads again.
    /// </remarks>
    /// <exception cref="BlobNotFoundException">The blob does not exist.</exception>
    Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads <paramref name="length"/> bytes starting at <paramref name="offset"/>; fewer when the
    /// range passes the end of the blob, none when <paramref name="offset"/> is at or past the end.
    /// </summary>
    /// <exception cref="BlobNotFoundException">The blob does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative offset or length.</exception>
    Task<byte[]> ReadRangeAsync(BlobPath path, long offset, int length, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the bytes at <paramref name="offset"/> straight into <paramref name="destination"/> (one
    /// request on Azure, no intermediate buffer); returns how many were read: fewer than its length
    /// only when the blob ends first. With <paramref name="ifMatch"/>, fails unless the blob still
    /// has that ETag, so a reader split into many ranges never mixes two versions.
    /// </summary>
    /// <remarks>
    /// The default implementation reads through <see cref="ReadRangeAsync(BlobPath, long, int, CancellationToken)"/>
    /// (one copy) after checking the ETag; stores override it to read in place.
    /// </remarks>
    /// <exception cref="BlobNotFoundException">The blob does not exist.</exception>
    /// <exception cref="BlobReplacedException">The blob's ETag is not <paramref name="ifMatch"/>.</exception>
    async Task<int> ReadIntoAsync(BlobPath path, long offset, Memory<byte> destination, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (ifMatch is not null)
        {
            BlobInfo info = await GetPropertiesAsync(path, cancellationToken).ConfigureAwait(false);
            if (info.ETag != ifMatch)
                throw new BlobReplacedException(path, ifMatch, info.ETag);
        }
        byte[] bytes = await ReadRangeAsync(path, offset, destination.Length, cancellationToken).ConfigureAwait(false);
        bytes.CopyTo(destination);
        return bytes.Length;
    }

    /// <summary>Writes the blob from <paramref name="content"/> (read to its end), publishing it atomically.</summary>
    /// <exception cref="BlobAlreadyExistsException"><paramref name="overwrite"/> is false and the blob exists.</exception>
    Task WriteAsync(BlobPath path, Stream content, bool overwrite, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stages one block of the future content of <paramref name="path"/>; staging the same id again
    /// replaces the block. Staged blocks are invisible until <see cref="CommitBlocksAsync(BlobPath, IReadOnlyList{string}, bool, CancellationToken)"/>.
    /// </summary>
    /// <remarks>
    /// Blocks of one blob may be staged concurrently, in any order, by different processes; make ids
    /// with <see cref="BlockIds.FromLabel"/> from a fixed-width label so a rerun stages the same ids.
    /// Azure needs a block's length before sending it, so a non-seekable <paramref name="content"/> is
    /// buffered in memory there; pass a seekable stream for large blocks.
    /// </remarks>
    /// <exception cref="ArgumentException">The block id is not valid (see <see cref="BlockIds"/>).</exception>
    Task StageBlockAsync(BlobPath path, string blockId, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes the blob as the concatenation of the staged blocks in <paramref name="blockIds"/>
    /// order, atomically. Staged blocks left out of the list are discarded.
    /// </summary>
    /// <exception cref="InvalidBlockListException">An id names no staged block of this blob.</exception>
    /// <exception cref="BlobAlreadyExistsException"><paramref name="overwrite"/> is false and the blob exists.</exception>
    Task CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, bool overwrite, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the blob from <paramref name="content"/> (read to its end) if <paramref name="condition"/> holds at the
    /// moment of publication, atomically; returns the new ETag. The compare-and-swap of runs that publish to a shared
    /// output: of concurrent writers that saw the same version, exactly one succeeds.
    /// </summary>
    /// <exception cref="BlobAlreadyExistsException">The condition is <see cref="BlobCondition.IfAbsent"/> and the blob exists.</exception>
    /// <exception cref="BlobChangedException">The blob no longer has the condition's ETag (or no longer exists).</exception>
    Task<string> WriteAsync(BlobPath path, Stream content, BlobCondition condition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes the staged blocks in <paramref name="blockIds"/> order, as
    /// <see cref="CommitBlocksAsync(BlobPath, IReadOnlyList{string}, bool, CancellationToken)"/>, if
    /// <paramref name="condition"/> holds at the moment of the commit; returns the new ETag. A commit refused by its
    /// condition changes nothing (the staged blocks stay).
    /// </summary>
    /// <exception cref="InvalidBlockListException">An id names no staged block of this blob.</exception>
    /// <exception cref="BlobAlreadyExistsException">The condition is <see cref="BlobCondition.IfAbsent"/> and the blob exists.</exception>
    /// <exception cref="BlobChangedException">The blob no longer has the condition's ETag (or no longer exists).</exception>
    Task<string> CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, BlobCondition condition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops the uncommitted blocks of <paramref name="path"/> whose label (<see cref="BlockIds.ToLabel"/>) starts
    /// with <paramref name="labelPrefix"/> — a failed run's own staging — leaving the committed content and every
    /// other writer's staged blocks alone; returns how many were dropped.
    /// </summary>
    /// <remarks>
    /// Azure cannot drop single uncommitted blocks: there this returns 0, and the service discards them at the blob's
    /// next commit or a week after staging. Nothing can commit them meanwhile, since every run's block ids carry its run id.
    /// </remarks>
    Task<int> DiscardBlocksAsync(BlobPath path, string labelPrefix, CancellationToken cancellationToken = default) => Task.FromResult(0);

    /// <summary>Size, ETag and last-modified time of the blob.</summary>
    /// <exception cref="BlobNotFoundException">The blob does not exist.</exception>
    Task<BlobInfo> GetPropertiesAsync(BlobPath path, CancellationToken cancellationToken = default);

    /// <summary>Whether a committed blob exists at <paramref name="path"/>.</summary>
    Task<bool> ExistsAsync(BlobPath path, CancellationToken cancellationToken = default);

    /// <summary>Deletes the blob (and any blocks staged for it); returns false when there was none.</summary>
    Task<bool> DeleteAsync(BlobPath path, CancellationToken cancellationToken = default);

    /// <summary>Deletes every blob of <paramref name="container"/> whose name starts with <paramref name="prefix"/>; returns how many.</summary>
    Task<int> DeletePrefixAsync(string container, string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// The blobs of <paramref name="container"/> whose names start with <paramref name="prefix"/>
    /// (plain string prefix, "" for all), in ordinal order of name. A missing container lists nothing.
    /// </summary>
    IAsyncEnumerable<BlobInfo> ListAsync(string container, string prefix = "", CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of <see cref="ListAsync"/>: at most <paramref name="maxResults"/> blobs of <paramref name="container"/>
    /// under <paramref name="prefix"/>, in ordinal order of name, starting where <paramref name="continuation"/> (null for
    /// the first page) says, and the continuation of the next page. A listing of any size is read page by page this way
    /// without holding it whole, and a page can be resumed from its token in another process.
    /// </summary>
    /// <remarks>
    /// A page may hold fewer blobs than asked, even none, before the end: only a null
    /// <see cref="BlobListPage.Continuation"/> ends the listing. Blobs written or deleted during a paged listing may or
    /// may not appear; the others appear exactly once. The default implementation lists through
    /// <see cref="ListAsync"/> and uses the last name returned as the token (names after it start the next page);
    /// Azure uses the service's own continuation markers.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxResults"/> is not 1 to <see cref="BlobListPage.MaxPageSize"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="continuation"/> is not a token this store gave.</exception>
    async Task<BlobListPage> ListPageAsync(string container, string prefix, string? continuation, int maxResults, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, BlobListPage.MaxPageSize);
        if (continuation is not null && !continuation.StartsWith(prefix, StringComparison.Ordinal))
            throw new ArgumentException($"'{continuation}' is not a continuation of the listing of '{container}/{prefix}*'.", nameof(continuation));
        var page = new List<BlobInfo>(Math.Min(maxResults, 1024));
        await foreach (BlobInfo blob in ListAsync(container, prefix, cancellationToken).ConfigureAwait(false))
        {
            if (continuation is not null && string.CompareOrdinal(blob.Path.Name, continuation) <= 0)
                continue;
            if (page.Count == maxResults)
                return new BlobListPage(page, page[^1].Path.Name); // one more exists: a next page follows
            page.Add(blob);
        }
        return new BlobListPage(page, null);
    }

    /// <summary>Copies a blob inside this store (for example into a quarantine container); returns when the copy is complete.</summary>
    /// <remarks>
    /// Server-side on Azure. A local copy is published atomically; on Azure the destination can be
    /// seen with copy status "pending" until the service finishes (same-account copies normally finish
    /// at once), so do not use a copy as a publication step: write or commit the output instead.
    /// </remarks>
    /// <exception cref="BlobNotFoundException">The source does not exist.</exception>
    /// <exception cref="BlobAlreadyExistsException"><paramref name="overwrite"/> is false and the destination exists.</exception>
    Task CopyAsync(BlobPath source, BlobPath destination, bool overwrite, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the blob with <paramref name="content"/> only if it does not exist (if-none-match *);
    /// returns false, changing nothing, when it does. Of concurrent callers exactly one gets true,
    /// which makes this the primitive for idempotency markers.
    /// </summary>
    Task<bool> TryCreateAsync(BlobPath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);
}
