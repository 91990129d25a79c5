using System.Runtime.CompilerServices;

namespace ImageReducer.Workflow.Storage;

/// <summary>
/// An <see cref="IBlobStore"/> over a local folder: each container is a subfolder of the root and
/// each blob a file under it ('/' in a blob name is a folder separator).
/// </summary>
/// <remarks>
/// <para>Writes go to a temporary file in <c>root/.tmp</c> and are published with one rename, so a
/// reader sees the old content or the new, never part of it. Blocks are part files in
/// <c>root/.staging</c>; a commit concatenates them into a temporary file and renames it into place.
/// Neither folder can collide with a container, whose names never start with '.'.</para>
/// <para>A blob path cannot leave the root: <see cref="BlobPath"/> refuses '..', and every resolved
/// path is checked to lie inside its container folder. Unlike Azure, a folder cannot hold both a blob
/// <c>a</c> and a blob <c>a/b</c>; the second write fails with <see cref="BlobStoreException"/>.</para>
/// <para>ETags are derived from the file's last-write time and size; an overwrite moves the time
/// forward by at least one tick so the ETag always changes. Thread-safe.</para>
/// <para>Every write, commit and delete of a blob holds that blob's lock (<see cref="LocalBlobLock"/>, shared with other
/// processes using the same folder), so a <see cref="BlobCondition"/> is checked and the blob published in one step,
/// and a commit's manifest names the ETag of exactly the content it describes.</para>
/// </remarks>
public sealed class LocalFolderBlobStore : IBlobStore
{
    private const int CopyBufferSize = 81920;
    private readonly string tempFolder;
    private readonly LocalBlockStaging staging;

    /// <summary>Creates a store rooted at <paramref name="root"/> (created when missing).</summary>
    public LocalFolderBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        tempFolder = Path.Combine(Root, ".tmp");
        Directory.CreateDirectory(Root);
        staging = new LocalBlockStaging(Path.Combine(Root, ".staging"));
    }

    /// <summary>The absolute root folder.</summary>
    public string Root { get; }

    /// <summary>The file that holds the blob at <paramref name="path"/> (which may not exist).</summary>
    public string GetFilePath(BlobPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string containerFolder = ContainerFolder(path.Container);
        string full = Path.GetFullPath(Path.Combine(containerFolder, path.Name.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(containerFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            // BlobPath validation makes this unreachable; kept so no future rule change can open the root.
            throw new ArgumentException($"Blob path '{path}' resolves outside its container folder.", nameof(path));
        }

        return full;
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(BlobPath path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string file = GetFilePath(path);
        try
        {
            // FileShare.Delete lets a concurrent overwrite rename over the file; this handle keeps
            // reading the version it opened.
            Stream stream = new FileStream(
                file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024,
                FileOptions.Asynchronous | FileOptions.RandomAccess);
            return Task.FromResult(stream);
        }
        catch (Exception e) when (IsNotFound(e, file))
        {
            throw new BlobNotFoundException(path, e);
        }
    }

    /// <inheritdoc />
    public async Task<byte[]> ReadRangeAsync(BlobPath path, long offset, int length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        cancellationToken.ThrowIfCancellationRequested();
        string file = GetFilePath(path);
        try
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            long size = RandomAccess.GetLength(handle);
            int count = (int)Math.Clamp(size - offset, 0, length);
            byte[] buffer = new byte[count];
            int done = 0;
            while (done < count)
            {
                int read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(done), offset + done, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    // The file cannot shrink under an open handle (overwrites replace it), so this is a real I/O fault.
                    throw new BlobStoreException(path, $"Blob '{path}' ended at {offset + done} while reading {count} bytes at {offset}.");
                }

                done += read;
            }

            return buffer;
        }
        catch (Exception e) when (IsNotFound(e, file))
        {
            throw new BlobNotFoundException(path, e);
        }
    }

    /// <inheritdoc />
    public async Task<int> ReadIntoAsync(BlobPath path, long offset, Memory<byte> destination, string? ifMatch = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();
        string file = GetFilePath(path);
        try
        {
            // An overwrite replaces the file, so the handle reads one version; its ETag is checked on the handle's file.
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            if (ifMatch is not null && InfoOf(path, new FileInfo(file)).ETag is var now && now != ifMatch)
                throw new BlobReplacedException(path, ifMatch, now);
            int done = 0;
            while (done < destination.Length)
            {
                int read = await RandomAccess.ReadAsync(handle, destination[done..], offset + done, cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                done += read;
            }

            return done;
        }
        catch (Exception e) when (IsNotFound(e, file))
        {
            throw new BlobNotFoundException(path, e);
        }
    }

    /// <inheritdoc />
    public Task WriteAsync(BlobPath path, Stream content, bool overwrite, CancellationToken cancellationToken = default) =>
        WriteAsync(path, content, overwrite ? BlobCondition.None : BlobCondition.IfAbsent, cancellationToken);

    /// <inheritdoc />
    public async Task<string> WriteAsync(BlobPath path, Stream content, BlobCondition condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(condition);
        cancellationToken.ThrowIfCancellationRequested();
        string destination = GetFilePath(path);
        string temp = await WriteTempAsync(content, cancellationToken).ConfigureAwait(false);
        try
        {
            using var held = await LocalBlobLock.AcquireAsync(Root, path, cancellationToken).ConfigureAwait(false);
            condition.Check(path, EtagOf(destination));
            Publish(path, temp, destination, overwrite: !condition.MustBeAbsent);
            return EtagOf(destination)!;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task StageBlockAsync(BlobPath path, string blockId, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        BlockIds.Validate(blockId);
        ArgumentNullException.ThrowIfNull(content);
        cancellationToken.ThrowIfCancellationRequested();
        string temp = await WriteTempAsync(content, cancellationToken).ConfigureAwait(false);
        try
        {
            staging.PublishBlock(path, blockId, temp);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <inheritdoc />
    public Task CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, bool overwrite, CancellationToken cancellationToken = default) =>
        CommitBlocksAsync(path, blockIds, overwrite ? BlobCondition.None : BlobCondition.IfAbsent, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The blocks are concatenated under the blob's lock, so the condition, the content and the commit are one step.</remarks>
    public async Task<string> CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, BlobCondition condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(condition);
        BlockIds.ValidateList(blockIds);
        cancellationToken.ThrowIfCancellationRequested();
        string destination = GetFilePath(path);
        using var held = await LocalBlobLock.AcquireAsync(Root, path, cancellationToken).ConfigureAwait(false);
        string? current = EtagOf(destination);
        condition.Check(path, current);
        string temp = NewTempFile();
        try
        {
            List<long> lengths;
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize, FileOptions.Asynchronous))
            {
                lengths = await staging.ConcatenateAsync(path, destination, current, blockIds, output, cancellationToken).ConfigureAwait(false);
            }

            Publish(path, temp, destination, overwrite: !condition.MustBeAbsent);
            string etag = EtagOf(destination)!;
            staging.RecordCommit(path, blockIds, lengths, etag);
            return etag;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<int> DiscardBlocksAsync(BlobPath path, string labelPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrEmpty(labelPrefix);
        using var held = await LocalBlobLock.AcquireAsync(Root, path, cancellationToken).ConfigureAwait(false);
        return staging.DiscardStaged(path, labelPrefix);
    }

    /// <inheritdoc />
    public Task<BlobInfo> GetPropertiesAsync(BlobPath path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var file = new FileInfo(GetFilePath(path));
        if (!file.Exists)
        {
            throw new BlobNotFoundException(path);
        }

        return Task.FromResult(InfoOf(path, file));
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(BlobPath path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(GetFilePath(path)));
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(BlobPath path, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var held = await LocalBlobLock.AcquireAsync(Root, path, cancellationToken).ConfigureAwait(false);
        return Delete(path);
    }

    /// <inheritdoc />
    public async Task<int> DeletePrefixAsync(string container, string prefix, CancellationToken cancellationToken = default)
    {
        int deleted = 0;
        await foreach (BlobInfo blob in ListAsync(container, prefix, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await DeleteAsync(blob.Path, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }

        return deleted;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobInfo> ListAsync(
        string container, string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobPath.ValidateContainer(container);
        BlobPath.ValidatePrefix(prefix);
        cancellationToken.ThrowIfCancellationRequested();
        string containerFolder = ContainerFolder(container);

        // Walk only the folder named by the prefix's complete segments; the partial last segment filters.
        int lastSlash = prefix.LastIndexOf('/');
        string start = lastSlash < 0
            ? containerFolder
            : Path.Combine(containerFolder, prefix[..lastSlash].Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var found = new List<BlobInfo>();
        foreach (string file in Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string name = Path.GetRelativePath(containerFolder, file).Replace(Path.DirectorySeparatorChar, '/');
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !IsValidName(name))
            {
                continue;
            }

            var info = new FileInfo(file);
            if (info.Exists)
            {
                found.Add(InfoOf(new BlobPath(container, name), info));
            }
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Path.Name, b.Path.Name));
        foreach (BlobInfo blob in found)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return blob;
        }

        // The folder walk is synchronous; this await only makes the method a proper async iterator.
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CopyAsync(BlobPath source, BlobPath destination, bool overwrite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        string destinationFile = GetFilePath(destination);
        string temp;
        await using (Stream input = await OpenReadAsync(source, cancellationToken).ConfigureAwait(false))
        {
            temp = await WriteTempAsync(input, cancellationToken).ConfigureAwait(false);
        }

        using var held = await LocalBlobLock.AcquireAsync(Root, destination, cancellationToken).ConfigureAwait(false);
        Publish(destination, temp, destinationFile, overwrite);
    }

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(BlobPath path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string destination = GetFilePath(path);
        if (File.Exists(destination))
        {
            return false;
        }

        string temp = NewTempFile();
        await File.WriteAllBytesAsync(temp, content, cancellationToken).ConfigureAwait(false);
        try
        {
            using var held = await LocalBlobLock.AcquireAsync(Root, path, cancellationToken).ConfigureAwait(false);
            Publish(path, temp, destination, overwrite: false);
            return true;
        }
        catch (BlobAlreadyExistsException)
        {
            return false;
        }
    }

    private static bool IsValidName(string name)
    {
        try
        {
            BlobPath.ValidateName(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static BlobInfo InfoOf(BlobPath path, FileInfo file) =>
        new(path, file.Length, Etag(file.LastWriteTimeUtc, file.Length), new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));

    private static string Etag(DateTime lastWriteUtc, long size) => $"0x{lastWriteUtc.Ticks:X}-{size:X}";

    private static string? EtagOf(string file)
    {
        var info = new FileInfo(file);
        return info.Exists ? Etag(info.LastWriteTimeUtc, info.Length) : null;
    }

    private static bool IsNotFound(Exception e, string file) =>
        e is FileNotFoundException or DirectoryNotFoundException ||
        (e is UnauthorizedAccessException && Directory.Exists(file)); // the name is a folder of other blobs

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // Leftover temp files are harmless: they live outside every container.
        }
    }

    private string ContainerFolder(string container)
    {
        BlobPath.ValidateContainer(container);
        return Path.Combine(Root, container);
    }

    private string NewTempFile()
    {
        Directory.CreateDirectory(tempFolder);
        return Path.Combine(tempFolder, Guid.NewGuid().ToString("N") + ".tmp");
    }

    private async Task<string> WriteTempAsync(Stream content, CancellationToken cancellationToken)
    {
        string temp = NewTempFile();
        try
        {
            await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize, FileOptions.Asynchronous);
            await content.CopyToAsync(output, CopyBufferSize, cancellationToken).ConfigureAwait(false);
            return temp;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Moves a complete temporary file to its blob location in one rename.</summary>
    private void Publish(BlobPath path, string temp, string destination, bool overwrite)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            if (overwrite)
            {
                var old = new FileInfo(destination);
                if (old.Exists && File.GetLastWriteTimeUtc(temp) <= old.LastWriteTimeUtc)
                {
                    // Same-tick rewrites would otherwise keep the ETag; readers rely on it changing.
                    File.SetLastWriteTimeUtc(temp, old.LastWriteTimeUtc.AddTicks(1));
                }

                File.Move(temp, destination, overwrite: true);
            }
            else
            {
                // Without overwrite the move fails atomically when the destination exists (link, not rename, on Unix).
                File.Move(temp, destination, overwrite: false);
            }
        }
        catch (IOException e) when (!overwrite && File.Exists(destination))
        {
            TryDelete(temp);
            throw new BlobAlreadyExistsException(path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new BlobStoreException(
                path,
                $"Blob '{path}' could not be written to '{destination}': {e.Message} " +
                "(a local store cannot hold a blob whose name is also a folder of other blobs).",
                e);
        }
    }

    private bool Delete(BlobPath path)
    {
        string file = GetFilePath(path);
        staging.DiscardAll(path);
        if (!File.Exists(file))
        {
            return false;
        }

        File.Delete(file);
        RemoveEmptyFolders(Path.GetDirectoryName(file)!, ContainerFolder(path.Container));
        return true;
    }

    private static void RemoveEmptyFolders(string folder, string stopAt)
    {
        while (folder.Length > stopAt.Length && folder.StartsWith(stopAt, StringComparison.Ordinal))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    return;
                }

                Directory.Delete(folder);
            }
            catch (IOException)
            {
                return; // a concurrent writer put something there; leave it
            }

            folder = Path.GetDirectoryName(folder)!;
        }
    }
}
