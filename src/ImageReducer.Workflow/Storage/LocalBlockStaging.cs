using System.Security.Cryptography;
using System.Text;

namespace ImageReducer.Workflow.Storage;

/// <summary>
/// The block lists of a <see cref="LocalFolderBlobStore"/>: staged blocks as part files and, per
/// blob, a manifest of the blocks its current content was committed from.
/// </summary>
/// <remarks>
/// Mirrors Azure's rules so both backends behave alike: a commit takes each id from the staged
/// (uncommitted) blocks first, then from the blocks of the current content; blocks not named are
/// discarded. Keeping the committed blocks lets a rerun of a commit (at-least-once execution) succeed.
/// The manifest records the ETag it describes and is ignored once the blob has been replaced otherwise.
/// Layout: <c>staging/&lt;container&gt;/&lt;sha256(name)&gt;/blocks/&lt;hex(id)&gt;.block</c> and <c>…/committed</c>.
/// </remarks>
internal sealed class LocalBlockStaging(string folder)
{
    private const string ManifestName = "committed";

    public void PublishBlock(BlobPath path, string blockId, string completeTempFile)
    {
        string blocks = BlocksFolder(path);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Directory.CreateDirectory(blocks);
            }
            catch (IOException) when (!File.Exists(blocks) && attempt < 10)
            {
                // mkdir met the folder while a concurrent commit or discard was removing it (EEXIST, then gone): make it again.
                continue;
            }

            try
            {
                File.Move(completeTempFile, BlockFile(blocks, blockId), overwrite: true);
                return;
            }
            catch (IOException e) when (e is DirectoryNotFoundException or FileNotFoundException && File.Exists(completeTempFile) && attempt < 10)
            {
                // A concurrent commit or delete of the blob removed the emptied folder between the two calls: make it again.
            }
        }
    }

    /// <summary>Writes the blocks in order to <paramref name="output"/>; returns each block's length.</summary>
    public async Task<List<long>> ConcatenateAsync(
        BlobPath path, string destinationFile, string? currentEtag, IReadOnlyList<string> blockIds, Stream output,
        CancellationToken cancellationToken)
    {
        string blocks = BlocksFolder(path);
        Dictionary<string, (long Offset, long Length)> committed = ReadManifest(path, currentEtag);
        var lengths = new List<long>(blockIds.Count);
        FileStream? current = null;
        try
        {
            foreach (string id in blockIds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string part = BlockFile(blocks, id);
                if (File.Exists(part))
                {
                    await using var input = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
                    await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                    lengths.Add(input.Length);
                }
                else if (committed.TryGetValue(id, out var range))
                {
                    current ??= new FileStream(destinationFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous);
                    current.Position = range.Offset;
                    await CopyExactlyAsync(current, output, range.Length, cancellationToken).ConfigureAwait(false);
                    lengths.Add(range.Length);
                }
                else
                {
                    throw new InvalidBlockListException(
                        path, $"Block '{id}' ('{SafeLabel(id)}') of blob '{path}' was never staged, or was discarded by an earlier commit.");
                }
            }
        }
        finally
        {
            if (current is not null)
            {
                await current.DisposeAsync().ConfigureAwait(false);
            }
        }

        return lengths;
    }

    /// <summary>Records what the new content was made of and discards the uncommitted blocks.</summary>
    public void RecordCommit(BlobPath path, IReadOnlyList<string> blockIds, List<long> lengths, string newEtag)
    {
        string blobFolder = BlobFolder(path);
        var manifest = new StringBuilder(newEtag).Append('\n');
        for (int i = 0; i < blockIds.Count; i++)
        {
            manifest.Append(blockIds[i]).Append(' ').Append(lengths[i]).Append('\n');
        }

        string temp = Path.Combine(blobFolder, ManifestName + "." + Guid.NewGuid().ToString("N"));
        File.WriteAllText(temp, manifest.ToString());
        File.Move(temp, Path.Combine(blobFolder, ManifestName), overwrite: true);
        DeleteBlocks(BlocksFolder(path), _ => true);
    }

    /// <summary>
    /// Drops the staged blocks whose label starts with <paramref name="labelPrefix"/> (a failed run's own); returns how many.
    /// Block files are named by the hex of their label's bytes, so the prefix is matched on the name.
    /// </summary>
    public int DiscardStaged(BlobPath path, string labelPrefix)
    {
        string hexPrefix = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(labelPrefix));
        return DeleteBlocks(BlocksFolder(path), name => name.StartsWith(hexPrefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// Deletes the block files <paramref name="select"/> picks (by file name) one by one, then the folder if it is empty:
    /// a recursive delete would race with a writer staging a block of another run meanwhile.
    /// </summary>
    private static int DeleteBlocks(string blocks, Func<string, bool> select)
    {
        if (!Directory.Exists(blocks)) return 0;
        int deleted = 0;
        foreach (string file in Directory.EnumerateFiles(blocks, "*.block"))
        {
            if (!select(Path.GetFileName(file))) continue;
            try
            {
                File.Delete(file);
                deleted++;
            }
            catch (IOException)
            {
                // Replaced by a rerun of the same block meanwhile: its writer's commit or discard takes it.
            }
        }
        TryRemoveEmptyFolder(blocks);
        return deleted;
    }

    private static void TryRemoveEmptyFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: false);
        }
        catch (IOException)
        {
            // Not empty (a block staged meanwhile) or already gone: either is fine.
        }
    }

    /// <summary>Forgets every block of the blob, staged or committed (the blob is being deleted).</summary>
    public void DiscardAll(BlobPath path)
    {
        string blobFolder = BlobFolder(path);
        if (!Directory.Exists(blobFolder)) return;
        try
        {
            File.Delete(Path.Combine(blobFolder, ManifestName));
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        DeleteBlocks(BlocksFolder(path), _ => true);
        TryRemoveEmptyFolder(blobFolder);
    }

    private Dictionary<string, (long Offset, long Length)> ReadManifest(BlobPath path, string? currentEtag)
    {
        var result = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        string file = Path.Combine(BlobFolder(path), ManifestName);
        if (currentEtag is null || !File.Exists(file))
        {
            return result;
        }

        string[] lines = File.ReadAllLines(file);
        if (lines.Length == 0 || lines[0] != currentEtag)
        {
            return result; // the blob was replaced by a plain write since that commit
        }

        long offset = 0;
        foreach (string line in lines.Skip(1))
        {
            int space = line.IndexOf(' ');
            long length = long.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
            result.TryAdd(line[..space], (offset, length));
            offset += length;
        }

        return result;
    }

    private static async Task CopyExactlyAsync(Stream input, Stream output, long count, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[(int)Math.Min(81920, Math.Max(count, 1))];
        while (count > 0)
        {
            int read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("A committed block extends past the end of its blob.");
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            count -= read;
        }
    }

    private static string SafeLabel(string blockId)
    {
        try
        {
            return BlockIds.ToLabel(blockId);
        }
        catch (ArgumentException)
        {
            return "?";
        }
    }

    private string BlobFolder(BlobPath path) =>
        Path.Combine(folder, path.Container, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path.Name))));

    private string BlocksFolder(BlobPath path) => Path.Combine(BlobFolder(path), "blocks");

    private static string BlockFile(string blocksFolder, string blockId) =>
        Path.Combine(blocksFolder, Convert.ToHexStringLower(BlockIds.Decode(blockId)) + ".block");
}
