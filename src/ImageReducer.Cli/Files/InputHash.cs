using ImageReducer.Cli.Output;

namespace ImageReducer.Cli.Files;

/// <summary>
/// The SHA-256 of a run's local input file, started on its own thread as soon as the command line names
/// the file: before the configuration is loaded and the mapper built, which run on one thread. So the hash
/// (one core at ~1.8 GB/s, longer than the parallel read of the planes) runs on a core the start-up leaves
/// idle; at a lower priority (<see cref="BackgroundPass"/>), so the read and the map that follow have every
/// core they are given, and the hash finishes in the time they leave idle.
/// </summary>
/// <remarks>
/// The hash and the read see the same file in the same run, as when both started with the read: neither
/// is atomic against a writer that changes the input during the run. Disposing stops the hash (a usage
/// error, a tiled run that does not use it, a failed read) and waits for it, so no pass outlives the run.
/// </remarks>
internal sealed class InputHash : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private int disposed;

    private InputHash(FileInfo file)
    {
        File = file;
        CancellationToken token = stop.Token;
        Sha256 = BackgroundPass.Start(() => FileHash.Sha256(file.FullName, token), "imred input SHA-256");
    }

    /// <summary>The file being hashed.</summary>
    public FileInfo File { get; }

    /// <summary>The file's SHA-256 (lower-case hex); cancelled when this is disposed first.</summary>
    public Task<string> Sha256 { get; }

    /// <summary>Starts hashing <paramref name="file"/> when it is an existing local file; null otherwise (the read reports what is wrong).</summary>
    public static InputHash? TryStart(FileInfo? file) => file is { Exists: true } ? new InputHash(file) : null;

    /// <summary>Whether this hashes <paramref name="file"/> (the same full path).</summary>
    public bool IsFor(FileInfo file) => string.Equals(File.FullName, file.FullName, StringComparison.Ordinal);

    /// <summary>Stops the hash if it is still running and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(Sha256).ConfigureAwait(false);
        stop.Dispose();
    }
}
