namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// What the reduce step needs to verify one input pixel plane's DATASUM/CHECKSUM from the tiles'
/// partial sums, recorded by the plan from the plane's header and padding (small range reads).
/// </summary>
/// <param name="Plane">The plane: 0 IMAGE, 1 MASK, 2 VARIANCE (the index into <see cref="TileResult.InputSums"/>).</param>
/// <param name="Hdu">The plane's HDU index in the input.</param>
/// <param name="Name">Its EXTNAME.</param>
/// <param name="Datasum">The DATASUM card's value as written (null without the card).</param>
/// <param name="DatasumCard">The DATASUM card's index in the header (null without the card).</param>
/// <param name="ExpectedDatasum">The DATASUM card parsed (null without the card).</param>
/// <param name="ChecksumCard">The CHECKSUM card's index in the header (null without the card).</param>
/// <param name="HeaderSum">Ones'-complement sum of the header bytes (blocks start at 4-byte offsets, so it composes as a value).</param>
/// <param name="PaddingSum">Sum of the bytes after the data unit up to the block end (zeros in a well-formed file, but counted as the engine does).</param>
public sealed record InputPlaneChecksum(int Plane, int Hdu, string Name, string? Datasum, int? DatasumCard, uint? ExpectedDatasum,
    int? ChecksumCard, uint HeaderSum, uint PaddingSum)
{
    /// <summary>True when the plane carries a DATASUM or CHECKSUM card to verify.</summary>
    public bool HasCards => DatasumCard is not null || ChecksumCard is not null;
}
