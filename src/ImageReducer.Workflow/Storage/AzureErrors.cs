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

    public static string Unquote(ETag etag) => etag.ToString().Trim('"');
}
