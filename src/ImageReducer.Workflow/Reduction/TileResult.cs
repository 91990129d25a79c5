using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// What a MapTile activity returns: small numbers only (the pixels went to staged blocks of the
/// output, the side results to <see cref="ReductionNames.TileCells"/>).
/// </summary>
/// <param name="Index">The tile.</param>
/// <param name="PlaneChecksums">
/// Ones'-complement sums of the tile's staged bytes of the IMAGE, MASK and VARIANCE data units (exposure
/// outputs; empty otherwise); they combine into each plane's DATASUM.
/// </param>
/// <param name="Overlap">Contribution counts over the tile's region (exposure outputs).</param>
/// <param name="MaskPlanes">The output's mask planes (name, bit) as the reducer left them (exposure outputs).</param>
/// <param name="BlockCount">Blocks staged per plane.</param>
/// <param name="CellsMapped">Cells the tile mapped (owned and halo).</param>
/// <param name="BytesRead">Bytes downloaded: the tile's plan, the input's headers and PSF, and its rows of the planes.</param>
/// <param name="BytesWritten">Bytes staged or written (blocks and side results).</param>
/// <param name="Seconds">Wall time of the activity.</param>
/// <param name="PeakManagedBytes">Largest GC heap size seen during the tile (a lower bound of its memory).</param>
/// <param name="Error">A domain error; the run fails without retrying the tile.</param>
public sealed record TileResult(
    int Index, uint[] PlaneChecksums, OverlapStatistics? Overlap, KeyValuePair<string, int>[] MaskPlanes, int BlockCount,
    int CellsMapped, long BytesRead, long BytesWritten, double Seconds, long PeakManagedBytes, string? Error = null)
{
    /// <summary>Seconds spent reading the tile's input (range reads and decoding).</summary>
    public double ReadSeconds { get; init; }

    /// <summary>Seconds spent mapping and folding the tile's cells.</summary>
    public double MapSeconds { get; init; }

    /// <summary>Seconds spent encoding and staging the tile's blocks.</summary>
    public double StageSeconds { get; init; }

    /// <summary>
    /// Ones'-complement sums of the raw input bytes of the rows the tile owns (its region) in the input's
    /// IMAGE, MASK and VARIANCE data units; the tiles' regions partition the rows, so they add up to each
    /// plane's data sum. Null when the tile did not compute them (see <see cref="ReduceStep"/>).
    /// </summary>
    public uint[]? InputSums { get; init; }

    /// <summary>True when the tile read the input's planes whole, so the engine's reader verified their checksums itself.</summary>
    public bool InputReadWhole { get; init; }

    /// <summary>The domain error, classified (set with <see cref="Error"/> by <see cref="Failed(int, ErrorInfo)"/>).</summary>
    public ErrorInfo? ErrorDetail { get; init; }

    /// <summary>True when the tile succeeded.</summary>
    public bool Succeeded => Error is null;

    /// <summary>A failure record for <paramref name="index"/>.</summary>
    public static TileResult Failed(int index, ErrorInfo error)
    {
        error = ErrorText.Cap(error ?? throw new ArgumentNullException(nameof(error)));
        return new(index, [], null, [], 0, 0, 0, 0, 0, 0, error.ToString()) { ErrorDetail = error };
    }
}
