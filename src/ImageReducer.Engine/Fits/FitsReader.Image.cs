using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Fits;

public sealed partial class FitsReader
{
    // Bytes read per request when an image is read whole: large enough for throughput, small enough for range reads.
    private const int ChunkBytes = 4 << 20;

    // A whole plane is read, swapped and summed in chunks that stay in a core's L2 cache between the
    // read and the swap (one pass over memory after the kernel's copy), spread over the cores.
    private const int ParallelChunkBytes = 1 << 20;

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
        var read = Plan(hdu, region, destination);
        if (TryReadNative(hdu, region, destination, read)) return;
        var sum = ReadRows(hdu, region, read.Full, destination, read.Bpp, read.BZero, read.BScale, read.Direct, read.Verify);
        if (read.Verify) VerifySums(hdu, sum + PaddingSum(hdu));
    }

    /// <summary>
    /// The common case of <see cref="ReadImageInto{T}"/> — the whole plane, stored as <typeparamref name="T"/>, unscaled,
    /// into a contiguous destination — read straight into the destination's bytes; false (nothing read) otherwise.
    /// </summary>
    /// <remarks>
    /// Unconstrained, unlike the conversion path: crossgen2 precompiles it for <see cref="float"/> and <see cref="int"/>
    /// planes (see <see cref="Image{T}"/>), so a fresh process reading an exposure JIT-compiles none of it.
    /// </remarks>
    internal bool TryReadNativeInto<T>(FitsHdu hdu, Box region, Image<T> destination) =>
        TryReadNative(hdu, region, destination, Plan(hdu, region, destination));

    /// <summary><see cref="TryReadNativeInto{T}"/> with the read already planned (checked once).</summary>
    private bool TryReadNative<T>(FitsHdu hdu, Box region, Image<T> destination, ReadPlan read)
    {
        if (!(read.Direct && region == read.Full && destination.IsContiguous)) return false;
        var sum = ReadWhole(hdu, PixelBytes.Of(destination.Pixels), read.Bpp, read.Verify);
        if (read.Verify) VerifySums(hdu, sum + PaddingSum(hdu));
        return true;
    }

    /// <summary>What reading <paramref name="region"/> of <paramref name="hdu"/> as <typeparamref name="T"/> takes (arguments checked).</summary>
    private ReadPlan Plan<T>(FitsHdu hdu, Box region, Image<T> destination)
    {
        ArgumentNullException.ThrowIfNull(hdu);
        ArgumentNullException.ThrowIfNull(destination);
        var full = FullBox(hdu);
        CheckRegion(full, region);
        if (destination.Width != region.Width || destination.Height != region.Height)
            throw new ArgumentException($"Destination {destination.Box} does not have the size of {region}.", nameof(destination));
        bool verify = region == full && Options.VerifyChecksums && HasChecksumCards(hdu);
        double bzero = hdu.Header.GetDouble("BZERO", 0), bscale = hdu.Header.GetDouble("BSCALE", 1);
        bool direct = FitsPixels.BitpixOf<T>() == hdu.Bitpix && bzero == 0 && bscale == 1;
        return new ReadPlan(full, Math.Abs(hdu.Bitpix) / 8, bzero, bscale, direct, verify);
    }

    /// <param name="Full">The image's full box.</param>
    /// <param name="Bpp">Bytes per stored value.</param>
    /// <param name="BZero">BZERO (0 when absent).</param>
    /// <param name="BScale">BSCALE (1 when absent).</param>
    /// <param name="Direct">Stored as the destination type, unscaled: the bytes only need swapping.</param>
    /// <param name="Verify">The whole data unit is read and its DATASUM/CHECKSUM are to be verified.</param>
    private readonly record struct ReadPlan(Box Full, int Bpp, double BZero, double BScale, bool Direct, bool Verify);

    /// <summary>A whole data unit straight into the destination's bytes, then swapped (and summed) in place: no intermediate copy.</summary>
    private FitsChecksum ReadWhole(FitsHdu hdu, Span<byte> all, int bpp, bool verify)
    {
        if (stream is FileStream file && all.Length >= 2 * ParallelChunkBytes && Workers > 1)
            return ReadParallel(file, hdu, all, bpp, verify);
        var sum = FitsChecksum.Zero;
        for (int pos = 0; pos < all.Length; pos += ParallelChunkBytes)
        {
            var slice = all.Slice(pos, Math.Min(ParallelChunkBytes, all.Length - pos));
            ReadExactly(hdu.DataOffset + pos, slice, hdu.Index);
            if (verify) sum = sum.AddSwapping(slice, bpp, pos);
            else FitsPixels.SwapInPlace(slice, bpp);
        }
        return sum;
    }

    /// <summary>A region, or a plane stored in another type or scaled: row by row through a buffer, converted into the destination.</summary>
    private FitsChecksum ReadRows<T>(FitsHdu hdu, Box region, Box full, Image<T> destination, int bpp, double bzero, double bscale, bool direct, bool verify)
        where T : unmanaged, INumberBase<T>
    {
        long? blank = hdu.Bitpix > 0 && hdu.Header.TryGetInt64("BLANK", out long b) ? b : null;
        var sum = FitsChecksum.Zero;
        int rowBytes = checked(region.Width * bpp);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(rowBytes);
        try
        {
            var row = buffer.AsSpan(0, rowBytes);
            for (int j = 0; j < region.Height; j++)
            {
                long within = checked(((long)(region.MinY + j) * full.Width + region.MinX) * bpp);
                ReadExactly(hdu.DataOffset + within, row, hdu.Index);
                if (verify) sum = sum.AddSwapping(row, bpp, within);
                else FitsPixels.SwapInPlace(row, bpp);
                var dst = destination.RowAt(j);
                if (direct) MemoryMarshal.Cast<byte, T>(row).CopyTo(dst);
                else FitsPixels.Convert(row, hdu.Bitpix, bzero, bscale, blank, dst);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return sum;
    }

    private int Workers => Options.MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : Options.MaxDegreeOfParallelism;

    /// <summary>
    /// Reads a whole data unit from a local file into <paramref name="all"/> with positional reads of
    /// <see cref="ParallelChunkBytes"/> on up to <see cref="Workers"/> threads; each thread swaps and sums
    /// the chunk it read while it is still in its cache. Checksum parts combine exactly in any order.
    /// </summary>
    private unsafe FitsChecksum ReadParallel(FileStream file, FitsHdu hdu, Span<byte> all, int bpp, bool verify)
    {
        var handle = file.SafeFileHandle;
        int chunks = (int)((all.Length + (long)ParallelChunkBytes - 1) / ParallelChunkBytes);
        long length = all.Length, dataOffset = hdu.DataOffset;
        // One sum per chunk, combined after the loop (exact in any order): Parallel.For's thread-local overload would be a
        // generic instantiation over FitsChecksum that no ReadyToRun image holds, JIT-compiled by every fresh process.
        var parts = new FitsChecksum[chunks];
        fixed (byte* start = all)
        {
            nint address = (nint)start;
            try
            {
                Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Workers }, k =>
                {
                    long pos = (long)k * ParallelChunkBytes;
                    var chunk = new Span<byte>((byte*)address + pos, (int)Math.Min(ParallelChunkBytes, length - pos));
                    for (int got = 0; got < chunk.Length;)
                    {
                        int n = RandomAccess.Read(handle, chunk[got..], dataOffset + pos + got);
                        if (n <= 0) throw FitsErrors.UnexpectedEndOfData(FileName, hdu.Index, dataOffset + pos, chunk.Length, got);
                        got += n;
                    }
                    if (verify) parts[k] = FitsChecksum.Zero.AddSwapping(chunk, bpp, pos);
                    else FitsPixels.SwapInPlace(chunk, bpp);
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // The caller sees the reader's own error (truncated file, I/O error), not the loop's wrapper.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
                throw;
            }
        }
        var total = FitsChecksum.Zero;
        foreach (var part in parts) total += part;
        return total;
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
