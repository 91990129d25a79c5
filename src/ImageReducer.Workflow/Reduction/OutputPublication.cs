using System.Text.Json;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// How a run publishes its output's metadata and recognises an output it already committed — one definition for the
/// tiled flow's <see cref="ReduceStep"/> and the whole-exposure <see cref="WholeExposureStep"/>, so both behave the same
/// under redelivery and concurrent runs (docs/functions.md, "Concurrent runs").
/// </summary>
internal static class OutputPublication
{
    /// <summary>Rounds of <see cref="PublishMetadataAsync"/> before it gives up (each lost round means another run wrote meanwhile).</summary>
    private const int MetadataRounds = 32;

    /// <summary>
    /// Writes the metadata beside the output while the output is still this run's version, as a compare-and-swap on the
    /// metadata blob: read the metadata's ETag, check the output is still <paramref name="outputETag"/>, write if the
    /// metadata is unchanged; a lost swap starts a new round. The run whose output stands is the last to pass the check,
    /// so once the writers stop, output and metadata are one run's; a run whose output was replaced stops and fails.
    /// </summary>
    /// <exception cref="ReductionException"><see cref="Engine.Errors.ErrorCodes.OutputChanged"/>: another run replaced the output.</exception>
    public static async Task PublishMetadataAsync(IBlobStore store, BlobPath output, string runId, BlobPath metadataPath, byte[] json,
        string outputETag, CancellationToken cancellationToken)
    {
        for (int round = 1; ; round++)
        {
            string? metadataETag = await PlanStep.CurrentETagAsync(store, metadataPath, cancellationToken).ConfigureAwait(false);
            string? now = await PlanStep.CurrentETagAsync(store, output, cancellationToken).ConfigureAwait(false);
            if (now != outputETag)
                throw ReductionErrors.OutputChanged(output, runId, outputETag, now, "right after this run committed it, before its metadata was written");
            try
            {
                using var content = new MemoryStream(json, writable: false);
                await store.WriteAsync(metadataPath, content, BlobCondition.IfUnchanged(metadataETag), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (BlobStoreException e) when (e is BlobChangedException or BlobAlreadyExistsException && round < MetadataRounds)
            {
                // Another run wrote the metadata between the read and the write: look again.
            }
        }
    }

    /// <summary>The metadata at <paramref name="path"/>, or null when there is none (or it is not ours: the run rewrites it).</summary>
    public static async Task<ReductionMetadata?> ReadMetadataAsync(IBlobStore store, BlobPath path, CancellationToken cancellationToken)
    {
        try
        {
            // Concurrent runs to one output publish this metadata: a version replaced during the read is read again.
            return WorkflowJson.Deserialize<ReductionMetadata>(await store.ReadAllAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null; // not ours or damaged: the run rewrites it
        }
    }

    /// <summary>
    /// The summary of run <paramref name="runId"/> when its output is published (the metadata names the run and the output
    /// exists), else null: what a redelivered step answers instead of running again.
    /// </summary>
    public static async Task<ReductionSummary?> PublishedAsync(IBlobStore store, BlobPath output, string runId, CancellationToken cancellationToken)
    {
        BlobPath metadataPath = ReductionNames.Metadata(output);
        return await ReadMetadataAsync(store, metadataPath, cancellationToken).ConfigureAwait(false) is { } m && m.RunId == runId
            && await store.ExistsAsync(output, cancellationToken).ConfigureAwait(false)
            ? Summary(m, metadataPath)
            : null;
    }

    /// <summary>The summary of the run whose metadata <paramref name="m"/> is (at <paramref name="metadataPath"/>), whichever attempt asks.</summary>
    public static ReductionSummary Summary(ReductionMetadata m, BlobPath metadataPath) =>
        new(m.RunId, m.Input, ReductionStatus.Succeeded, m.Output, metadataPath, m.OutputBytes, m.Tiles.Length, m.CellCount, m.ReduceBytesRead)
        {
            OutputSha256 = m.OutputSha256, OutputHashSeconds = m.OutputHashSeconds,
            ActivitySeconds = m.PlanSeconds + m.Tiles.Sum(t => t.Seconds) + m.ReduceSeconds,
        };

    /// <summary>
    /// True when <paramref name="output"/> is <paramref name="length"/> bytes long and holds <paramref name="ranges"/> at their
    /// offsets (an exposure's headers, which carry every DATASUM and CHECKSUM; or a small output's whole bytes).
    /// </summary>
    public static async Task<bool> MatchesAsync(IBlobStore store, BlobPath output, long length, IReadOnlyList<(long Offset, ReadOnlyMemory<byte> Bytes)> ranges,
        CancellationToken cancellationToken)
    {
        try
        {
            if ((await store.GetPropertiesAsync(output, cancellationToken).ConfigureAwait(false)).Size != length) return false;
            foreach (var (offset, bytes) in ranges)
            {
                byte[] found = await store.ReadRangeAsync(output, offset, bytes.Length, cancellationToken).ConfigureAwait(false);
                if (!found.AsSpan().SequenceEqual(bytes.Span)) return false;
            }
            return true;
        }
        catch (BlobNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// The ETag of <paramref name="output"/> when it already holds these bytes (<see cref="MatchesAsync"/>), else null. The ETag
    /// is read before and after the range reads: a commit by another run in between would otherwise pair its version with
    /// this run's metadata.
    /// </summary>
    public static async Task<string?> CommittedAlreadyAsync(IBlobStore store, BlobPath output, long length,
        IReadOnlyList<(long Offset, ReadOnlyMemory<byte> Bytes)> ranges, CancellationToken cancellationToken)
    {
        string? before = await PlanStep.CurrentETagAsync(store, output, cancellationToken).ConfigureAwait(false);
        if (before is null || !await MatchesAsync(store, output, length, ranges, cancellationToken).ConfigureAwait(false)) return null;
        return await PlanStep.CurrentETagAsync(store, output, cancellationToken).ConfigureAwait(false) == before ? before : null;
    }
}
