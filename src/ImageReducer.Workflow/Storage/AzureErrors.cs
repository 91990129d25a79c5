using Azure;
using Azure.Storage.Blobs.Models;

namespace ImageReducer.Workflow.Storage;

/// <summary>Translates Azure SDK failures into the store's own exceptions.</summary>
internal static class AzureErrors
{
    public static Exception Translate(RequestFailedException e, BlobPath path)
    {
        if (e.Status == 404)
        {
            return new BlobNotFoundException(path, e);
        }

        if (e.Status == 412 || (e.Status == 409 && e.ErrorCode == BlobErrorCode.BlobAlreadyExists))
        {
            return new BlobAlreadyExistsException(path, e);
        }

        if (e.ErrorCode == BlobErrorCode.InvalidBlockList)
        {
            return new InvalidBlockListException(
                path, $"The block list of blob '{path}' names a block that was never staged, or was discarded by an earlier commit.", e);
        }

        return new BlobStoreException(path, $"Storage request for blob '{path}' failed ({e.Status} {e.ErrorCode}): {e.Message}", e);
    }

    /// <summary>Whether the SDK gave up after retrying transport failures (it aggregates the attempts).</summary>
    public static bool IsTransportFailure(AggregateException e) =>
        e.InnerExceptions.Count > 0 && e.InnerExceptions.All(inner => inner is RequestFailedException or HttpRequestException or IOException);

    public static BlobStoreException Unreachable(AggregateException e, BlobPath? path) =>
        new(path,
            $"Blob storage could not be reached{(path is null ? "" : $" for '{path}'")} after {e.InnerExceptions.Count} attempts: " +
            e.InnerExceptions[^1].Message,
            e);

    /// <summary>Translates what a read of an SDK blob stream threw, or returns null to let it pass.</summary>
    public static Exception? TranslateAny(Exception e, BlobPath path) => e switch
    {
        // The stream pins the ETag seen at open; 412 means the blob was replaced, not that a write collided.
        RequestFailedException { Status: 412 } changed => new BlobReplacedException(path, null, null, changed),
        RequestFailedException failed => Translate(failed, path),
        AggregateException aggregate when IsTransportFailure(aggregate) => Unreachable(aggregate, path),
        _ => null,
    };

    public static string Unquote(ETag etag) => etag.ToString().Trim('"');
}
