using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// The exact bytes-on-disk plan of an exposure file (spec §7 plus the PSF extension), computed before
/// any pixel is written: every HDU's header (with fixed-width CHECKSUM/DATASUM placeholders) and the
/// byte ranges of every plane row.
/// </summary>
/// <remarks>
/// A distributed writer can write row ranges of the planes as separate byte ranges
/// (<see cref="FitsHduLayout.RowOffset"/>), sum each range with
/// <see cref="FitsChecksum.AddBigEndian{T}"/> at <see cref="FitsHduLayout.RowDataOffset"/>, combine
/// the parts, and finally write <see cref="EncodeHeader"/>(hdu, sum) at the HDU's header offset: the
/// result is byte-identical to <see cref="ExposureFits.Write(Exposure, Stream)"/>. Padding after each
/// data unit is zeros. Immutable and thread-safe.
/// </remarks>
public sealed class ExposureFitsLayout
{
    private readonly FitsHduLayout[] hdus;
    private readonly FitsTable? psfTable;

    private ExposureFitsLayout(FitsHduLayout[] hdus, FitsTable? psfTable)
    {
        this.hdus = hdus;
        this.psfTable = psfTable;
    }

    /// <summary>Plans the file of <paramref name="exposure"/> (its box, mask planes, WCS, metadata and PSF; no pixel is read).</summary>
    /// <exception cref="ArgumentException">A metadata or WCS card cannot be written as FITS.</exception>
    /// <exception cref="NotSupportedException">The PSF type has no file form.</exception>
    public static ExposureFitsLayout Create(Exposure exposure)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        return Create(exposure.Box, exposure.Mask.Planes, exposure.Wcs, exposure.Metadata, exposure.Psf);
    }

    /// <summary>Plans the file of an exposure with these properties.</summary>
    public static ExposureFitsLayout Create(Box box, MaskPlaneDictionary maskPlanes, IReadOnlyList<HeaderCard> wcs,
        IReadOnlyList<HeaderCard> metadata, Psf? psf)
    {
        ArgumentNullException.ThrowIfNull(maskPlanes);
        ArgumentNullException.ThrowIfNull(wcs);
        ArgumentNullException.ThrowIfNull(metadata);
        if (box.IsEmpty) throw new ArgumentException("An exposure file needs a non-empty box.", nameof(box));
        var list = new List<FitsHduLayout>();
        long offset = 0;

        var primaryCards = metadata.Where(c => c.IsCommentary || !FitsHeaderBuilder.IsWriterOwned(c.Keyword)).Select(FitsCard.Create);
        var primary = FitsHeaderBuilder.EmptyPrimary(primaryCards, checksum: true);
        list.Add(new FitsHduLayout(0, null, offset, primary, 0, 8, 0, 0));
        offset = list[^1].EndOffset;

        var wcsCards = wcs.Where(c => c.IsCommentary || !ExposureFitsKeywords.IsLayoutOwned(c.Keyword)).Select(FitsCard.Create).ToArray();
        foreach (var plane in new[] { ExposurePlane.Image, ExposurePlane.Mask, ExposurePlane.Variance })
        {
            string name = plane.ToString().ToUpperInvariant();
            int bitpix = plane == ExposurePlane.Mask ? 32 : -32;
            var cards = new List<FitsCard>
            {
                FitsCard.Create("EXTNAME", name, "extension name"),
                FitsCard.Create("EXTTYPE", name, "extension type"),
                FitsCard.Create("INHERIT", true, "inherit the primary header"),
            };
            if (plane == ExposurePlane.Mask)
                foreach (var (planeName, bit) in maskPlanes.Planes)
                    cards.Add(FitsCard.Create(ExposureFitsKeywords.MaskPlanePrefix + planeName, (long)bit, "mask plane bit"));
            cards.AddRange(wcsCards);
            cards.Add(FitsCard.Create("CTYPE1A", "LINEAR", "xy0 as a linear WCS"));
            cards.Add(FitsCard.Create("CTYPE2A", "LINEAR", "xy0 as a linear WCS"));
            cards.Add(FitsCard.Create("CRPIX1A", 1.0));
            cards.Add(FitsCard.Create("CRPIX2A", 1.0));
            cards.Add(FitsCard.Create("CRVAL1A", (double)box.MinX, "x0"));
            cards.Add(FitsCard.Create("CRVAL2A", (double)box.MinY, "y0"));
            cards.Add(FitsCard.Create("CUNIT1A", "PIXEL"));
            cards.Add(FitsCard.Create("CUNIT2A", "PIXEL"));
            cards.Add(FitsCard.Create("LTV1", (double)-box.MinX, "-x0, for display tools"));
            cards.Add(FitsCard.Create("LTV2", (double)-box.MinY, "-y0, for display tools"));
            var header = FitsHeaderBuilder.Image(false, bitpix, box.Width, box.Height, cards, checksum: true);
            list.Add(new FitsHduLayout(list.Count, name, offset, header, checked(box.Area * 4), bitpix, box.Width, box.Height));
            offset = list[^1].EndOffset;
        }

        FitsTable? table = null;
        if (psf is not null)
        {
            (table, var psfCards) = PsfTableCodec.Encode(psf);
            var header = FitsHeaderBuilder.Table(table, psfCards, checksum: true);
            list.Add(new FitsHduLayout(list.Count, PsfTableCodec.ExtName, offset, header, table.Data.Length, 8, 0, 0));
        }
        return new ExposureFitsLayout(list.ToArray(), table);
    }

    /// <summary>All HDUs in file order: primary, IMAGE, MASK, VARIANCE, then PSF when the exposure has one.</summary>
    public IReadOnlyList<FitsHduLayout> Hdus => hdus;
    public FitsHduLayout Primary => hdus[0];
    /// <summary>The HDU of <paramref name="plane"/>.</summary>
    public FitsHduLayout Plane(ExposurePlane plane) => hdus[1 + (int)plane];
    /// <summary>The PSF table HDU, or null.</summary>
    public FitsHduLayout? Psf => hdus.Length > 4 ? hdus[4] : null;
    /// <summary>Total file length in bytes.</summary>
    public long Length => hdus[^1].EndOffset;

    /// <summary>
    /// The final header bytes of <paramref name="hdu"/> once its data unit is known to sum to
    /// <paramref name="dataChecksum"/> (for the primary and the PSF table the data are known: pass
    /// <see cref="DataChecksum(FitsHduLayout)"/>).
    /// </summary>
    public byte[] EncodeHeader(FitsHduLayout hdu, FitsChecksum dataChecksum)
    {
        ArgumentNullException.ThrowIfNull(hdu);
        if (hdu.Index >= hdus.Length || !ReferenceEquals(hdus[hdu.Index], hdu))
            throw new ArgumentException("The HDU does not belong to this layout.", nameof(hdu));
        var copy = new FitsHeader(hdu.Header.ToList(), null, hdu.Index);
        return FitsHeaderBuilder.Encode(copy, dataChecksum);
    }

    /// <summary>The data checksum of an HDU whose data the layout already holds (primary: zero; PSF: the table).</summary>
    /// <exception cref="InvalidOperationException">A pixel plane: its sum depends on the pixels.</exception>
    public FitsChecksum DataChecksum(FitsHduLayout hdu) => hdu.Index switch
    {
        0 => FitsChecksum.Zero,
        4 => FitsChecksum.Zero.Add(psfTable!.Data),
        _ => throw new InvalidOperationException($"HDU {hdu.Index} ({hdu.ExtName}) holds pixels: sum them with FitsChecksum.AddBigEndian."),
    };

    /// <summary>The PSF table's data bytes (unpadded), or empty when there is no PSF.</summary>
    public ReadOnlySpan<byte> PsfData => psfTable is null ? default : psfTable.Data;
}
