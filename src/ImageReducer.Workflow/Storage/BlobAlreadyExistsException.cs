using ImageReducer.Engine.Errors;

namespace ImageReducer.Workflow.Storage;

/// <summary>A write that must not overwrite found the blob already there (<see cref="ErrorClass.Conflict"/>).</summary>
public sealed class BlobAlreadyExistsException(BlobPath path, Exception? innerException = null)
    : BlobStoreException(ErrorClass.Conflict, ErrorCodes.AlreadyExists, path, $"Blob '{path}' already exists and the write was not allowed to overwrite it.", innerException)
{
    /// <summary>The blob that already exists.</summary>
    public new BlobPath Path => base.Path!;
}
