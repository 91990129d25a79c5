using ImageReducer.Engine.Errors;

namespace ImageReducer.Workflow.Storage;

/// <summary>
/// A block list could not be committed: a block id names no staged block of the blob, for example
/// because a map step did not run or a previous commit already discarded it (<see cref="ErrorClass.Conflict"/>).
/// </summary>
public sealed class InvalidBlockListException(BlobPath path, string message, Exception? innerException = null)
    : BlobStoreException(ErrorClass.Conflict, ErrorCodes.BlockListRefused, path, message, innerException)
{
    /// <summary>The blob whose block list was refused.</summary>
    public new BlobPath Path => base.Path!;
}
