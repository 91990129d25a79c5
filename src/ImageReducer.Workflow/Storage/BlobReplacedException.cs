using ImageReducer.Engine.Errors;

namespace ImageReducer.Workflow.Storage;

/// <summary>
/// A read pinned to one version of a blob (a stream, or a range read with an ETag) found that the blob was replaced
/// meanwhile, so it stopped rather than mix two versions (<see cref="ErrorClass.Unavailable"/>: reading again reads the
/// new version). Not a collision of writes: nothing was written.
/// </summary>
public sealed class BlobReplacedException(BlobPath path, string? expectedETag, string? currentETag, Exception? innerException = null)
    : BlobStoreException(ErrorClass.Unavailable, ErrorCodes.BlobReplaced, path,
        $"Blob '{path}' was replaced while it was being read (ETag {expectedETag ?? "seen at open"} → {currentETag ?? "another"}); " +
        "read it again for the new version.", innerException)
{
    /// <summary>The blob that was replaced.</summary>
    public new BlobPath Path => base.Path!;

    /// <summary>The ETag the read was pinned to (null: the one the stream saw at open, which the service did not repeat).</summary>
    public string? ExpectedETag { get; } = expectedETag;

    /// <summary>The ETag found (null: the service did not say).</summary>
    public string? CurrentETag { get; } = currentETag;
}
