using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The block ids of an output exposure blob. Every id comes from a fixed-width label (Azure needs
/// one length for all ids of a blob) naming the run and what the block holds, so a retried tile stages the same
/// ids with the same bytes, the reduce step can list them without asking the tiles, and two runs staging
/// to one output never name each other's blocks: a commit lists its own run's blocks only, so it is that run's
/// bytes whole or it fails.
/// </summary>
/// <remarks>Label: <c>&lt;runId&gt;-dat-HHHHH-TTTTTT-PPPPP</c>, 55 bytes (a block id may encode 64).</remarks>
public static class OutputBlocks
{
    /// <summary>Characters of a run id (<see cref="ReductionNames.RunId"/>).</summary>
    private const int RunIdLength = 32;

    /// <summary>Largest block a tile stages, in bytes (rows are never split, so a block may exceed this by less than a row).</summary>
    public const int PartBytes = 4 << 20;

    /// <summary>Part <paramref name="part"/> of tile <paramref name="tile"/>'s rows of the data unit of HDU <paramref name="hdu"/>.</summary>
    public static string Data(string runId, int hdu, int tile, int part) => BlockIds.FromLabel($"{LabelPrefix(runId)}dat-{hdu:D5}-{tile:D6}-{part:D5}");

    /// <summary>Part <paramref name="part"/> of a whole output file a whole-exposure run stages (<see cref="WholeExposureStep"/>).</summary>
    public static string Whole(string runId, int part) => BlockIds.FromLabel($"{LabelPrefix(runId)}whl-00000-000000-{part:D5}");

    /// <summary>The header of HDU <paramref name="hdu"/>.</summary>
    public static string Header(string runId, int hdu) => BlockIds.FromLabel($"{LabelPrefix(runId)}hdr-{hdu:D5}-000000-00000");

    /// <summary>The zero padding after the data unit of HDU <paramref name="hdu"/>.</summary>
    public static string Padding(string runId, int hdu) => BlockIds.FromLabel($"{LabelPrefix(runId)}pad-{hdu:D5}-000000-00000");

    /// <summary>The data unit (with its padding) of a table HDU the reduce step writes itself (the PSF).</summary>
    public static string Table(string runId, int hdu) => BlockIds.FromLabel($"{LabelPrefix(runId)}tab-{hdu:D5}-000000-00000");

    /// <summary>The start of every block label of run <paramref name="runId"/> (for <see cref="IBlobStore.DiscardBlocksAsync"/>).</summary>
    /// <exception cref="ArgumentException">Not a run id (the labels would not have one width).</exception>
    public static string LabelPrefix(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (runId.Length != RunIdLength || !runId.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"'{runId}' is not a run id ({RunIdLength} lowercase hex digits).", nameof(runId));
        return runId + "-";
    }

    /// <summary>Rows per block for rows of <paramref name="rowBytes"/> bytes.</summary>
    public static int RowsPerPart(long rowBytes) => (int)Math.Max(1, PartBytes / Math.Max(1, rowBytes));
}
