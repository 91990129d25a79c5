using ImageReducer.Engine.Errors;

namespace ImageReducer.Workflow.Storage;

/// <summary>
/// A write conditioned on a blob's version (<see cref="BlobCondition.IfMatch"/>) found another version, or no blob:
/// someone else replaced or deleted it since it was read (<see cref="ErrorClass.Conflict"/>).
/// </summary>
public sealed class BlobChangedException(BlobPath path, string expectedETag, string? currentETag, Exception? innerException = null)
    : BlobStoreException(ErrorClass.Conflict, ErrorCodes.BlobChanged, path,
        $"Blob '{path}' changed since it was read (ETag {expectedETag} → {currentETag ?? "deleted"}); the write was not applied.", innerException)
{
    /// <summary>The blob that changed.</summary>
    public new BlobPath Path => base.Path!;

    /// <summary>The ETag the write required.</summary>
    public string ExpectedETag { get; } = expectedETag;

    /// <summary>The ETag found (null: the blob was gone, or the service did not say).</summary>
    public string? CurrentETag { get; } = currentETag;
}
