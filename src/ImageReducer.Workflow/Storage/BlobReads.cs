namespace ImageReducer.Workflow.Storage;

/// <summary>Whole reads of small blobs (plans, records, metadata), one definition for every step that needs one.</summary>
public static class BlobReads
{
    /// <summary>Reads before <see cref="ReadAllAsync"/> gives up (each lost read means another writer replaced the blob meanwhile).</summary>
    public const int Rounds = 8;

    /// <summary>
    /// The whole content of <paramref name="path"/>, one version of it. A blob replaced while it is read (another run
    /// publishing its metadata between the stream's open and its first range) is read again, so the caller gets the newest
    /// whole version; only a blob replaced on every one of <see cref="Rounds"/> reads fails.
    /// </summary>
    /// <exception cref="BlobNotFoundException">The blob does not exist.</exception>
    /// <exception cref="BlobReplacedException">The blob was replaced during each of <see cref="Rounds"/> reads.</exception>
    public static async Task<byte[]> ReadAllAsync(this IBlobStore store, BlobPath path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        for (int round = 1; ; round++)
        {
            try
            {
                var stream = await store.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    using var buffer = new MemoryStream();
                    await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                    return buffer.ToArray();
                }
            }
            catch (BlobReplacedException) when (round < Rounds)
            {
                // Another writer published a new version during this read: read that one.
            }
        }
    }
}
