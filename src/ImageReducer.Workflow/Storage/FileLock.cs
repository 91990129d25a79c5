namespace ImageReducer.Workflow.Storage;

/// <summary>
/// An exclusive lock held through a lock file, by this and every other process on the machine that locks the same
/// file: an advisory OS lock (<see cref="FileShare.None"/> is <c>flock</c> on Unix, a sharing lock on Windows), released
/// by the operating system if the holder dies. Lock files stay after release: deleting one would let a waiter lock
/// the unlinked file while a newcomer locks a new one.
/// </summary>
public sealed class FileLock : IDisposable
{
    /// <summary>How long <see cref="AcquireAsync"/> waits before failing with <see cref="BlobStoreException"/> (retryable).</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(60);

    private readonly FileStream handle;

    private FileLock(FileStream handle) => this.handle = handle;

    /// <summary>Waits for the lock of <paramref name="lockFile"/> (created with its folder when missing).</summary>
    /// <param name="lockFile">The lock file.</param>
    /// <param name="what">What the lock protects, for the timeout's message.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="BlobStoreException">Not acquired within <see cref="Timeout"/>.</exception>
    public static async Task<FileLock> AcquireAsync(string lockFile, string what, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lockFile);
        string folder = Path.GetDirectoryName(Path.GetFullPath(lockFile))!;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        int delayMs = 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                Directory.CreateDirectory(folder);
                return new FileLock(new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException e)
            {
                // Held by another writer (a sharing violation): wait a little, longer each time, up to the timeout.
                if (waited.Elapsed > Timeout)
                    throw new BlobStoreException(null, $"{what} stayed locked by another writer for {Timeout.TotalSeconds:0} s ({lockFile}): {e.Message}", e);
            }
            await Task.Delay(delayMs, cancellationToken).ConfigureAwait(false);
            delayMs = Math.Min(delayMs * 2, 50);
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => handle.Dispose();
}
