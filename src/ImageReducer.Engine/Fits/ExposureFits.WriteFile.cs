using System.Buffers;
using System.Runtime.ExceptionServices;
using ImageReducer.Engine.Imaging;
using Microsoft.Win32.SafeHandles;

namespace ImageReducer.Engine.Fits;

public static partial class ExposureFits
{
    // Rows per band: about 1 MiB, so a band is encoded, summed and handed to the kernel while it is in a core's L2 cache.
    private const int BandBytes = 1 << 20;

    /// <summary>
    /// Writes <paramref name="exposure"/> as the whole content of the file behind <paramref name="file"/>
    /// (which is truncated or extended to the file's length) with positional writes on up to
    /// <paramref name="maxDegreeOfParallelism"/> threads (−1: all cores). The bytes are those of
    /// <see cref="Write(Exposure, Stream)"/>.
    /// </summary>
    /// <remarks>
    /// One pass over the pixels: each thread encodes a band of ~1 MiB of rows big-endian into its own
    /// buffer, adds it to the plane's checksum while the band is in its cache and writes it at its offset
    /// (<see cref="ExposureFitsLayout"/>); the headers, which carry the sums, are written last, at their
    /// fixed offsets. Checksum parts combine exactly in any order, so the output does not depend on the
    /// thread count. Nothing is flushed to disk: the caller decides about fsync.
    /// </remarks>
    /// <exception cref="ArgumentException">A metadata or WCS card cannot be written as FITS.</exception>
    /// <exception cref="NotSupportedException">The PSF type has no file form.</exception>
    /// <exception cref="IOException">A write failed.</exception>
    public static void Write(Exposure exposure, SafeFileHandle file, int maxDegreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfZero(maxDegreeOfParallelism);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, -1);
        var layout = ExposureFitsLayout.Create(exposure);
        RandomAccess.SetLength(file, layout.Length);
        FitsHduLayout[] planes = [layout.Plane(ExposurePlane.Image), layout.Plane(ExposurePlane.Mask), layout.Plane(ExposurePlane.Variance)];
        var bands = new List<(int Plane, int FirstRow, int Rows)>();
        for (int p = 0; p < planes.Length; p++)
        {
            int rows = (int)Math.Max(1, BandBytes / planes[p].RowLength);
            for (int y = 0; y < planes[p].Height; y += rows) bands.Add((p, y, Math.Min(rows, planes[p].Height - y)));
        }
        var sums = new FitsChecksum[bands.Count];
        try
        {
            Parallel.For(0, bands.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
                () => ArrayPool<byte>.Shared.Rent(BandBytes),
                (k, _, buffer) =>
                {
                    var (p, firstRow, rows) = bands[k];
                    sums[k] = p switch
                    {
                        0 => WriteBand(file, planes[p], exposure.Image, firstRow, rows, ref buffer),
                        1 => WriteBand(file, planes[p], exposure.Mask.Pixels, firstRow, rows, ref buffer),
                        _ => WriteBand(file, planes[p], exposure.Variance, firstRow, rows, ref buffer),
                    };
                    return buffer;
                },
                buffer => ArrayPool<byte>.Shared.Return(buffer));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // The caller sees the write's own error (disk full, I/O error), not the loop's wrapper.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            throw;
        }

        RandomAccess.Write(file, layout.EncodeHeader(layout.Primary, FitsChecksum.Zero), layout.Primary.HeaderOffset);
        for (int p = 0; p < planes.Length; p++)
        {
            var sum = FitsChecksum.Zero;
            for (int k = 0; k < bands.Count; k++)
                if (bands[k].Plane == p) sum += sums[k];
            RandomAccess.Write(file, layout.EncodeHeader(planes[p], sum), planes[p].HeaderOffset);
            WritePaddingAt(file, planes[p]);
        }
        if (layout.Psf is { } psf)
        {
            RandomAccess.Write(file, layout.EncodeHeader(psf, layout.DataChecksum(psf)), psf.HeaderOffset);
            RandomAccess.Write(file, layout.PsfData, psf.DataOffset);
            WritePaddingAt(file, psf);
        }
    }

    /// <summary>Encodes rows [<paramref name="firstRow"/>, +<paramref name="rows"/>) big-endian, writes them at their offset and returns their checksum part.</summary>
    private static FitsChecksum WriteBand<T>(SafeFileHandle file, FitsHduLayout hdu, Image<T> pixels, int firstRow, int rows, ref byte[] buffer)
        where T : unmanaged
    {
        int rowBytes = checked((int)hdu.RowLength);
        int length = checked(rows * rowBytes);
        if (buffer.Length < length)
        {
            // A row wider than a band: one row per band, in a buffer of its own size.
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(length);
        }
        var band = buffer.AsSpan(0, length);
        for (int j = 0; j < rows; j++)
            FitsPixels.ToBigEndian<T>(pixels.RowAt(firstRow + j), band.Slice(j * rowBytes, rowBytes));
        var sum = FitsChecksum.Zero.Add(band, hdu.RowDataOffset(firstRow));
        RandomAccess.Write(file, band, hdu.RowOffset(firstRow));
        return sum;
    }

    /// <summary>Writes the zeros between the end of <paramref name="hdu"/>'s data and the next block (explicitly: no sparse holes).</summary>
    private static void WritePaddingAt(SafeFileHandle file, FitsHduLayout hdu)
    {
        int pad = (int)(hdu.PaddedDataLength - hdu.DataLength);
        if (pad > 0) RandomAccess.Write(file, new byte[pad], hdu.DataOffset + hdu.DataLength);
    }
}
