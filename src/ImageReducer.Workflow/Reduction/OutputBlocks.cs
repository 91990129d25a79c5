using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The block ids of an output exposure blob. Every id comes from a fixed-width label (Azure needs
/// one length for all ids of a blob) naming what the block holds, so a retried tile stages the same
/// ids with the same bytes and the reduce step can list them without asking the tiles.
/// </summary>
public static class OutputBlocks
{
    /// <summary>Largest block a tile stages, in bytes (rows are never split, so a block may exceed this by less than a row).</summary>
    public const int PartBytes = 4 << 20;

    /// <summary>Part <paramref name="part"/> of tile <paramref name="tile"/>'s rows of the data unit of HDU <paramref name="hdu"/>.</summary>
    public static string Data(int hdu, int tile, int part) => BlockIds.FromLabel($"dat-{hdu:D5}-{tile:D6}-{part:D5}");

    /// <summary>The header of HDU <paramref name="hdu"/>.</summary>
    public static string Header(int hdu) => BlockIds.FromLabel($"hdr-{hdu:D5}-000000-00000");

    /// <summary>The zero padding after the data unit of HDU <paramref name="hdu"/>.</summary>
    public static string Padding(int hdu) => BlockIds.FromLabel($"pad-{hdu:D5}-000000-00000");

    /// <summary>The data unit (with its padding) of a table HDU the reduce step writes itself (the PSF).</summary>
    public static string Table(int hdu) => BlockIds.FromLabel($"tab-{hdu:D5}-000000-00000");

    /// <summary>Rows per block for rows of <paramref name="rowBytes"/> bytes.</summary>
    public static int RowsPerPart(long rowBytes) => (int)Math.Max(1, PartBytes / Math.Max(1, rowBytes));
}
