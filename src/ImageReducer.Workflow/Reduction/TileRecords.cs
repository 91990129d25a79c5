using System.Text.Json;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// Where each tile's <see cref="TileResult"/> is kept for the reduce step: one small JSON blob per tile beside the
/// plan (<see cref="ReductionNames.TileResult"/>), written by the tile itself. The orchestration therefore hands
/// Reduce only the plan and the tile count (<see cref="ReduceTask"/>), a payload that does not grow with the tiles.
/// </summary>
/// <remarks>
/// A rerun of a tile (at-least-once) rewrites its record whole; a record is read only by the run that wrote it
/// (the plan path holds the run id).
/// </remarks>
public static class TileRecords
{
    /// <summary>Records read at once by <see cref="ReadAllAsync"/>.</summary>
    private const int ReadConcurrency = 16;

    /// <summary>Longest record read (a record is a few hundred bytes; more is not ours).</summary>
    private const int MaxRecordBytes = 1 << 20;

    /// <summary>Records <paramref name="result"/> (success or failure) for tile <see cref="TileResult.Index"/> of the run of <paramref name="plan"/>.</summary>
    public static async Task WriteAsync(IBlobStore store, BlobPath plan, TileResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(result);
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(result, WorkflowJson.CompactOptions), writable: false);
        await store.WriteAsync(ReductionNames.TileResult(plan, result.Index), content, overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The records of tiles 0 … <paramref name="tileCount"/> − 1, in tile order; a tile without a record (it never
    /// ran to the end) gets a failure record saying so. Returns the bytes read too.
    /// </summary>
    public static async Task<(TileResult[] Tiles, long BytesRead)> ReadAllAsync(IBlobStore store, BlobPath plan, int tileCount,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(tileCount);
        var tiles = new TileResult[tileCount];
        long bytes = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, tileCount),
            new ParallelOptions { MaxDegreeOfParallelism = ReadConcurrency, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                BlobPath path = ReductionNames.TileResult(plan, index);
                try
                {
                    byte[] json = await store.ReadRangeAsync(path, 0, MaxRecordBytes, token).ConfigureAwait(false);
                    Interlocked.Add(ref bytes, json.Length);
                    TileResult record = WorkflowJson.Deserialize<TileResult>(json);
                    tiles[index] = record.Index == index
                        ? record
                        : TileResult.Failed(index, DomainErrors.Describe(ReductionErrors.Inconsistent($"the record at {path} describes tile {record.Index}")));
                }
                catch (BlobNotFoundException)
                {
                    tiles[index] = TileResult.Failed(index, DomainErrors.Describe(ReductionErrors.Inconsistent($"no result recorded at {path} (the tile did not finish)")));
                }
            }).ConfigureAwait(false);
        return (tiles, bytes);
    }
}
