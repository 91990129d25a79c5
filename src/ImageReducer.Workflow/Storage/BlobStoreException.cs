namespace ImageReducer.Workflow.Storage;

/// <summary>
/// A storage operation failed for a reason other than the specific ones with their own type
/// (<see cref="BlobNotFoundException"/>, <see cref="BlobAlreadyExistsException"/>,
/// <see cref="InvalidBlockListException"/>). Every <see cref="IBlobStore"/> throws these types,
/// whatever the backend; the backend's own exception is the <see cref="Exception.InnerException"/>.
/// </summary>
public class BlobStoreException : IOException
{
    /// <summary>Creates the exception for the blob at <paramref name="path"/> (null when no single blob is concerned).</summary>
    public BlobStoreException(BlobPath? path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>The blob concerned, when the failure concerns one blob.</summary>
    public BlobPath? Path { get; }
}
