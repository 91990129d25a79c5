using System.Security.Cryptography;
using System.Text;

namespace ImageReducer.Workflow.Storage;

/// <summary>
/// The lock of one blob of a <see cref="LocalFolderBlobStore"/> (a <see cref="FileLock"/>), shared by every process using
/// the folder: each write checks its <see cref="BlobCondition"/> and publishes under it, which makes conditional writes
/// atomic as Azure's are. Lock files: <c>root/.locks/&lt;container&gt;/&lt;sha256(name)&gt;.lock</c>, outside every container.
/// </summary>
internal static class LocalBlobLock
{
    /// <summary>Waits for the lock of <paramref name="path"/> in the store rooted at <paramref name="root"/>.</summary>
    /// <exception cref="BlobStoreException">Not acquired within <see cref="FileLock.Timeout"/>.</exception>
    public static async Task<FileLock> AcquireAsync(string root, BlobPath path, CancellationToken cancellationToken)
    {
        string file = Path.Combine(root, ".locks", path.Container, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path.Name))) + ".lock");
        try
        {
            return await FileLock.AcquireAsync(file, $"Blob '{path}'", cancellationToken).ConfigureAwait(false);
        }
        catch (BlobStoreException e) when (e.Path is null)
        {
            throw new BlobStoreException(path, e.Message, e);
        }
    }
}
