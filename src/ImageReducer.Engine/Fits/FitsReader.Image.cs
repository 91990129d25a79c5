using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Fits;

public sealed partial class FitsReader
{
    // Bytes read per request when an image is read whole: large enough for throughput, small enough for range reads.
    private const int ChunkBytes = 4 << 20;

    /// <summary>Reads a whole 2-D image HDU as <typeparamref name="T"/> (box origin 0,0; x along NAXIS1).</summary>
    /// <remarks>Physical values (BZERO + BSCALE × stored) are returned; for real targets BLANK becomes NaN.
    /// DATASUM/CHECKSUM are verified when present and <see cref="FitsReadOptions.VerifyChecksums"/> is set.</remarks>
    /// <exception cref="FitsFormatException">Not a 2-D image, data shorter than declared, or a checksum mismatch.</exception>
    public Image<T> ReadImage<T>(FitsHdu hdu) where T : unmanaged, INumberBase<T> => ReadImage<T>(hdu, FullBox(hdu));

    /// <summary>
    /// Reads the sub-rectangle <paramref name="region"/> (0-based file pixel coordinates: x along NAXIS1,
    /// y along NAXIS2) of a 2-D image HDU, reading only the rows (and, for narrow regions, only the
    /// columns) it needs. The returned image's box is <paramref name="region"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The region is empty or not inside the image.</exception>
    public Image<T> ReadImage<T>(FitsHdu hdu, Box region) where T : unmanaged, INumberBase<T>
    {
        var full = FullBox(hdu);
        CheckRegion(full, region);
        var image = Image<T>.CreateUninitialized(region);
        try
        {
            ReadImageInto(hdu, region, image);
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads <paramref name="region"/> of a 2-D image HDU into <paramref name="destination"/>, which
    /// must have the region's size (its origin may differ; it may be a view).
    /// </summary>
    public void ReadImageInto<T>(FitsHdu hdu, Box region, Image<T> destination) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(hdu);
        ArgumentNullException.ThrowIfNull(destination);
        var full = FullBox(hdu);
        CheckRegion(full, region);
        if (destination.Width != region.Width || destination.Height != region.Height)
            throw new ArgumentException($"Destination {destination.Box} does not have the size of {region}.", nameof(destination));
        bool verify = region == full && Options.VerifyChecksums && HasChecksumCards(hdu);
        int bpp = Math.Abs(hdu.Bitpix) / 8;
        double bzero = hdu.Header.GetDouble("BZERO", 0), bscale = hdu.Header.GetDouble("BSCALE", 1);
        long? blank = hdu.Bitpix > 0 && hdu.Header.TryGetInt64("BLANK", out long b) ? b : null;
        bool direct = FitsPixels.BitpixOf<T>() == hdu.Bitpix && bzero == 0 && bscale == 1;
        var sum = FitsChecksum.Zero;

        if (direct && region == full && destination.IsContiguous)
        {
            // Straight into the destination buffer, then swap in place: no intermediate copy.
            var all = MemoryMarshal.AsBytes(destination.Pixels);
            for (int pos = 0; pos < all.Length; pos += ChunkBytes)
            {
                var slice = all.Slice(pos, Math.Min(ChunkBytes, all.Length - pos));
                ReadExactly(hdu.DataOffset + pos, slice, hdu.Index);
                if (verify) sum = sum.Add(slice, pos);
                FitsPixels.SwapInPlace(slice, bpp);
            }
        }
        else
        {
            int rowBytes = checked(region.Width * bpp);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(rowBytes);
            try
            {
                var row = buffer.AsSpan(0, rowBytes);
                for (int j = 0; j < region.Height; j++)
                {
                    long within = checked(((long)(region.MinY + j) * full.Width + region.MinX) * bpp);
                    ReadExactly(hdu.DataOffset + within, row, hdu.Index);
                    if (verify) sum = sum.Add(row, within);
                    FitsPixels.SwapInPlace(row, bpp);
                    var dst = destination.RowAt(j);
                    if (direct) MemoryMarshal.Cast<byte, T>(row).CopyTo(dst);
                    else FitsPixels.Convert(row, hdu.Bitpix, bzero, bscale, blank, dst);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        if (verify) VerifySums(hdu, sum + PaddingSum(hdu));
    }

    /// <summary>The image's full box (0,0, NAXIS1 × NAXIS2).</summary>
    /// <exception cref="FitsFormatException">The HDU is not a 2-D image or is too large for one plane.</exception>
    public Box FullBox(FitsHdu hdu)
    {
        ArgumentNullException.ThrowIfNull(hdu);
        if (!hdu.IsImage2D)
            throw FitsErrors.InvalidAxisCount(FileName, hdu.Index, hdu.Header.IndexOf("NAXIS"),
                $"the HDU is not a 2-D image (type {hdu.Type}, NAXIS = {hdu.Axes.Count}{(hdu.Axes.Count > 0 ? ", axes " + string.Join(" x ", hdu.Axes) : "")})");
        if (hdu.Width == 0 || hdu.Height == 0)
            throw FitsErrors.InvalidAxisCount(FileName, hdu.Index, hdu.Header.IndexOf("NAXIS"), $"the image is empty ({hdu.Width} x {hdu.Height})");
        if (hdu.Width > int.MaxValue || hdu.Height > int.MaxValue || hdu.Width * hdu.Height > Array.MaxLength)
            throw FitsErrors.InvalidAxisLength(FileName, hdu.Index, hdu.Header.IndexOf("NAXIS1"), "NAXIS1",
                hdu.Width, $"a {hdu.Width} x {hdu.Height} image does not fit in one plane");
        return new Box(0, 0, (int)hdu.Width, (int)hdu.Height);
    }

    private static void CheckRegion(Box full, Box region)
    {
        if (region.IsEmpty || !full.Contains(region))
            throw new ArgumentOutOfRangeException(nameof(region), $"{region} is not inside the image's {full}.");
    }
}
