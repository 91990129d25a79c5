using ImageReducer.Cli.Diagnostics;

namespace ImageReducer.Cli.Output;

/// <summary>
/// The output files of one command, written to temporary files next to their destinations and
/// renamed into place only by <see cref="Commit"/>. Disposing without committing deletes every
/// temporary file, so a failed command leaves no output behind (and an older file untouched).
/// </summary>
/// <remarks>Not thread-safe: one command stages its outputs from one thread.</remarks>
internal sealed class StagedOutputs : IDisposable
{
    private readonly List<(string Temp, string Final)> files = [];
    private readonly Dictionary<string, Task<string>> digests = [];
    private bool committed;
    private bool flushedOnce;

    /// <summary>
    /// Work for a core that would otherwise wait: run once, on its own thread, beside the first staged file's disk flush
    /// and digest tail, and awaited with them (e.g. preparing what the command does next). It must not throw.
    /// </summary>
    public Action? WhileFlushing { get; init; }

    /// <summary>Reserves a temporary path for <paramref name="finalPath"/> (same directory, so the rename is atomic).</summary>
    public string Stage(string finalPath)
    {
        string full = Path.GetFullPath(finalPath);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        if (files.Any(f => f.Final == full)) throw new InvalidOperationException($"{full} is staged twice");
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        files.Add((temp, full));
        return temp;
    }

    /// <summary>
    /// Stages <paramref name="finalPath"/> and writes it through <paramref name="write"/>, flushed to
    /// disk; its SHA-256 is taken from the page cache while the disk flush runs.
    /// </summary>
    public Task WriteAsync(string finalPath, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        WriteAsync(finalPath, (stream, _, ct) => write(stream, ct), cancellationToken);

    /// <summary>
    /// Stages <paramref name="finalPath"/> and writes it through <paramref name="write"/>, flushed to disk. The writer may
    /// declare prefixes of the file final as it goes (its second argument: "bytes [0, n) are written for good"); the
    /// SHA-256 then follows the write from the page cache instead of starting after it, and ends during the disk flush.
    /// </summary>
    public async Task WriteAsync(string finalPath, Func<Stream, Action<long>, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        string temp = Stage(finalPath);
        // Read access too: the digest reads the staged bytes back through this handle (the file is not shared).
        await using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        using var digest = new FollowingSha256(stream.SafeFileHandle); // disposed first: no read in flight when the handle closes
        Timeline.Mark("staged file: writing");
        await write(stream, digest.Advance, cancellationToken);
        Timeline.Mark("staged file: written");
        await stream.FlushAsync(cancellationToken);
        digest.Complete(RandomAccess.GetLength(stream.SafeFileHandle));
        digests[Path.GetFullPath(finalPath)] = digest.Digest;
        Task beside = Task.CompletedTask;
        if (WhileFlushing is { } work && !flushedOnce)
        {
            flushedOnce = true;
            beside = Task.Run(work, CancellationToken.None);
        }
        // Hashing is CPU work and fsync waits on the disk: done together, the digest's tail costs no wall time.
        try
        {
            stream.Flush(flushToDisk: true);
            Timeline.Mark("staged file: flushed to disk");
        }
        finally
        {
            await Task.WhenAny(digest.Digest);
            Timeline.Mark("staged file: digest done");
            await beside;
        }
    }

    /// <summary>Stages and writes <paramref name="bytes"/>.</summary>
    public Task WriteAllBytesAsync(string finalPath, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        WriteAsync(finalPath, (s, ct) => s.WriteAsync(bytes, ct).AsTask(), cancellationToken);

    /// <summary>The SHA-256 (lower-case hex) of the staged content of <paramref name="finalPath"/>.</summary>
    public string Sha256Of(string finalPath)
    {
        string full = Path.GetFullPath(finalPath);
        var (temp, _) = files.Single(f => f.Final == full);
        return digests.TryGetValue(full, out var digest) ? digest.GetAwaiter().GetResult() : FileHash.Sha256(temp);
    }

    /// <summary>
    /// Renames every staged file onto its destination, in staging order, holding the machine-wide lock of every destination
    /// (<see cref="OutputPathLock"/>, taken in path order so two commits cannot deadlock): two runs to the same output leave
    /// one run's files whole, the last to commit, never one run's output beside the other's metadata.
    /// </summary>
    public void Commit()
    {
        foreach (var (temp, final) in files)
        {
            if (!File.Exists(temp)) throw new InvalidOperationException($"{final} was staged but never written");
        }
        var held = new List<IDisposable>();
        try
        {
            foreach (string final in files.Select(f => f.Final).Order(StringComparer.Ordinal))
                held.Add(OutputPathLock.AcquireAsync(final).GetAwaiter().GetResult());
            foreach (var (temp, final) in files) File.Move(temp, final, overwrite: true);
        }
        finally
        {
            foreach (IDisposable l in held) l.Dispose();
        }
        committed = true;
    }

    public void Dispose()
    {
        if (committed) return;
        foreach (var (temp, _) in files)
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Best effort: the original error matters more than a leftover temporary file.
            }
        }
    }
}
