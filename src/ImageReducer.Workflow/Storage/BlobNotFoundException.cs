using ImageReducer.Engine.Errors;

namespace ImageReducer.Workflow.Storage;

/// <summary>The blob (or its container) does not exist (<see cref="ErrorClass.NotFound"/>).</summary>
public sealed class BlobNotFoundException(BlobPath path, Exception? innerException = null)
    : BlobStoreException(ErrorClass.NotFound, ErrorCodes.NotFound, path, $"Blob '{path}' does not exist.", innerException)
{
    /// <summary>The blob that was not found.</summary>
    public new BlobPath Path => base.Path!;
}
