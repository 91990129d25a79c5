using ImageReducer.Engine.Errors;

namespace ImageReducer.Workflow.Storage;

/// <summary>
/// A storage operation failed for a reason other than the specific ones with their own type
/// (<see cref="BlobNotFoundException"/>, <see cref="BlobAlreadyExistsException"/>,
/// <see cref="InvalidBlockListException"/>). Every <see cref="IBlobStore"/> throws these types,
/// whatever the backend; the backend's own exception is the <see cref="Exception.InnerException"/>.
/// A plain <see cref="BlobStoreException"/> is <see cref="ErrorClass.Unavailable"/>: retrying may succeed.
/// </summary>
public class BlobStoreException : ImageReducerException
{
    /// <summary>Creates the exception for the blob at <paramref name="path"/> (null when no single blob is concerned).</summary>
    public BlobStoreException(BlobPath? path, string message, Exception? innerException = null)
        : this(ErrorClass.Unavailable, ErrorCodes.Storage, path, message, innerException)
    {
    }

    /// <summary>Creates a storage failure of a more specific class (a missing blob, a conflict).</summary>
    protected BlobStoreException(ErrorClass errorClass, string errorCode, BlobPath? path, string message, Exception? innerException)
        : base(errorClass, errorCode, message, innerException)
    {
        Path = path;
    }

    /// <summary>The blob concerned, when the failure concerns one blob.</summary>
    public BlobPath? Path { get; }
}
