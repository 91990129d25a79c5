namespace ImageReducer.Workflow.Storage;

/// <summary>A write that must not overwrite found the blob already there.</summary>
public sealed class BlobAlreadyExistsException(BlobPath path, Exception? innerException = null)
    : BlobStoreException(path, $"Blob '{path}' already exists and the write was not allowed to overwrite it.", innerException)
{
    /// <summary>The blob that already exists.</summary>
    public new BlobPath Path => base.Path!;
}
