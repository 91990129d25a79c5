using System.Security.Cryptography;
using System.Text;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Cli.Running;

/// <summary>
/// Publishes a tiled run's output and metadata as local files with the workflow's policy for concurrent runs to one
/// output (docs/functions.md, "Concurrent runs to one output"): the pair is moved into place under a machine-wide lock
/// on the output's path, only if the output is still the version seen when the run started; otherwise the run fails
/// with <c>OutputChanged</c> and leaves the other run's pair alone. So the files are always one run's output with its
/// own metadata beside it.
/// </summary>
internal static class LocalOutputPublisher
{
    /// <summary>The version of the file at <paramref name="path"/> (last write time and size), or null when there is none.</summary>
    public static string? VersionOf(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? $"{file.LastWriteTimeUtc.Ticks:X}-{file.Length:X}" : null;
    }

    /// <summary>
    /// Copies <paramref name="output"/> and <paramref name="metadata"/> from <paramref name="store"/> next to their
    /// destinations, then moves both into place if <paramref name="outputPath"/> is still at <paramref name="seen"/>.
    /// </summary>
    /// <exception cref="ReductionException"><c>OutputChanged</c>: another run published the output meanwhile.</exception>
    public static async Task PublishAsync(IBlobStore store, BlobPath output, BlobPath metadata, string outputPath, string metadataPath,
        string? seen, string runId, CancellationToken cancellationToken)
    {
        string outputTemp = TempBeside(outputPath), metadataTemp = TempBeside(metadataPath);
        try
        {
            await CopyOutAsync(store, output, outputTemp, cancellationToken);
            await CopyOutAsync(store, metadata, metadataTemp, cancellationToken);
            using FileLock held = await Output.OutputPathLock.AcquireAsync(outputPath, cancellationToken);
            string? now = VersionOf(outputPath);
            if (now != seen) throw ReductionErrors.OutputChanged(outputPath, runId, seen, now, "after this run started");
            File.Move(outputTemp, outputPath, overwrite: true);
            File.Move(metadataTemp, metadataPath, overwrite: true);
        }
        finally
        {
            TryDelete(outputTemp);
            TryDelete(metadataTemp);
        }
    }

    private static string TempBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    private static async Task CopyOutAsync(IBlobStore store, BlobPath blob, string path, CancellationToken cancellationToken)
    {
        await using Stream source = await store.OpenReadAsync(blob, cancellationToken);
        await using FileStream target = new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await source.CopyToAsync(target, cancellationToken);
        target.Flush(flushToDisk: true);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path); // after a publish the temporary file is gone already
        }
        catch (IOException)
        {
            // Best effort: the run's own outcome matters more than a leftover temporary file.
        }
    }
}
