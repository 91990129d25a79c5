using System.Buffers;
using System.Runtime.ExceptionServices;
using ImageReducer.Engine.Imaging;
using Microsoft.Win32.SafeHandles;

namespace ImageReducer.Engine.Fits;

public static partial class ExposureFits
{
    // Rows per band: about 1 MiB, so a band is encoded and handed to the kernel while it is in a core's L2 cache.
    private const int BandBytes = 1 << 20;

    /// <summary>
    /// Writes <paramref name="exposure"/> as the whole content of the file behind <paramref name="file"/>
    /// (which is truncated or extended to the file's length) with positional writes on up to
    /// <paramref name="maxDegreeOfParallelism"/> threads (−1: all cores). The bytes are those of
    /// <see cref="Write(Exposure, Stream)"/>.
    /// </summary>
    /// <param name="exposure">The exposure to write.</param>
    /// <param name="file">A file opened for writing; its content is replaced.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads, or −1 for all cores.</param>
    /// <param name="finalPrefix">
    /// Optional: called with <c>n</c> each time the first <c>n</c> bytes of the file are written for good, with growing
    /// <c>n</c>, the last call with the file's length; from a writing thread, so it must return at once. The prefix grows
    /// band by band in file order, so a digest of the file can follow the write closely instead of starting after it.
    /// </param>
    /// <remarks>
    /// Two passes. First the planes' checksums, from the native pixels, on every worker (sums of bands combine exactly
    /// in any order): every header — they carry the sums — and the padding and PSF HDU can then be written before the
    /// pixels. Then each thread takes the next band of ~1 MiB of rows (bands go out in file order), encodes it
    /// big-endian into its own buffer and writes it at its offset (<see cref="ExposureFitsLayout"/>); the file is
    /// declared final up to the first band not yet written. A digest following the write (the output SHA-256 of
    /// <c>imred run</c>) so runs beside the bands from the first one, instead of waiting at each plane for its last band,
    /// which the header before it needed. Each band's disk write is started as soon as it is written
    /// (<see cref="WriteBehind"/>), but nothing is made durable: the caller decides about fsync. The output does not
    /// depend on the thread count.
    /// </remarks>
    /// <exception cref="ArgumentException">A metadata or WCS card cannot be written as FITS.</exception>
    /// <exception cref="NotSupportedException">The PSF type has no file form.</exception>
    /// <exception cref="IOException">A write failed.</exception>
    public static void Write(Exposure exposure, SafeFileHandle file, int maxDegreeOfParallelism, Action<long>? finalPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfZero(maxDegreeOfParallelism);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, -1);
        var layout = ExposureFitsLayout.Create(exposure);
        var writer = new BandWriter(exposure, file, layout, finalPrefix);
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        int workers = Math.Min(maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism, writer.BandCount);
        FitsChecksum[] sums = writer.SumPlanes(options);
        RandomAccess.SetLength(file, layout.Length);
        writer.WriteAroundPixels(sums);
        try
        {
            Parallel.For(0, workers, options, _ => writer.Run());
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // The caller sees the write's own error (disk full, I/O error), not the loop's wrapper.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            throw;
        }
        // The last band written declared the whole file final (WriteAroundPixels did, were there no band).
    }

    /// <summary>The bands of the three planes: their checksums, then their writes in file order, and the file's final prefix.</summary>
    private sealed class BandWriter
    {
        private readonly Exposure exposure;
        private readonly SafeFileHandle file;
        private readonly ExposureFitsLayout layout;
        private readonly Action<long>? finalPrefix;
        private readonly FitsHduLayout[] planes;
        private readonly Band[] bands;
        private readonly bool[] written;    // per band (under gate)
        private readonly Lock gate = new();
        private int nextBand = -1;
        private int firstPending;           // bands [0, firstPending) are written (under gate)
        private volatile bool failed;

        public BandWriter(Exposure exposure, SafeFileHandle file, ExposureFitsLayout layout, Action<long>? finalPrefix)
        {
            (this.exposure, this.file, this.layout, this.finalPrefix) = (exposure, file, layout, finalPrefix);
            planes = [layout.Plane(ExposurePlane.Image), layout.Plane(ExposurePlane.Mask), layout.Plane(ExposurePlane.Variance)];
            // Arrays of a struct of our own, not a List of tuples: those generic instantiations are not in the
            // ReadyToRun image and cost a fresh process ~8 JIT-compiled methods.
            var rowsPerBand = new int[planes.Length];
            int count = 0;
            for (int p = 0; p < planes.Length; p++)
            {
                rowsPerBand[p] = (int)Math.Max(1, BandBytes / planes[p].RowLength);
                count += (planes[p].Height + rowsPerBand[p] - 1) / rowsPerBand[p];
            }
            bands = new Band[count];
            int k = 0;
            for (int p = 0; p < planes.Length; p++)
                for (int y = 0; y < planes[p].Height; y += rowsPerBand[p])
                    bands[k++] = new Band(p, y, Math.Min(rowsPerBand[p], planes[p].Height - y));
            written = new bool[bands.Length];
        }

        public int BandCount => bands.Length;

        /// <summary>Rows [<see cref="FirstRow"/>, +<see cref="Rows"/>) of plane <see cref="Plane"/>.</summary>
        private readonly record struct Band(int Plane, int FirstRow, int Rows);

        /// <summary>Each plane's data checksum, from its native pixels, summed band by band on the workers.</summary>
        public FitsChecksum[] SumPlanes(ParallelOptions options)
        {
            var parts = new FitsChecksum[bands.Length];
            Parallel.For(0, bands.Length, options, k =>
            {
                var (p, firstRow, rows) = bands[k];
                parts[k] = p switch
                {
                    0 => SumBand(planes[p], exposure.Image, firstRow, rows),
                    1 => SumBand(planes[p], exposure.Mask.Pixels, firstRow, rows),
                    _ => SumBand(planes[p], exposure.Variance, firstRow, rows),
                };
            });
            var sums = new FitsChecksum[planes.Length];
            for (int k = 0; k < bands.Length; k++) sums[bands[k].Plane] += parts[k];
            return sums;
        }

        /// <summary>Everything but the pixels: the headers (with the planes' sums), the padding, the PSF HDU; the file is final up to the first band.</summary>
        public void WriteAroundPixels(FitsChecksum[] sums)
        {
            RandomAccess.Write(file, layout.EncodeHeader(layout.Primary, FitsChecksum.Zero), layout.Primary.HeaderOffset);
            for (int p = 0; p < planes.Length; p++)
            {
                RandomAccess.Write(file, layout.EncodeHeader(planes[p], sums[p]), planes[p].HeaderOffset);
                WritePaddingAt(file, planes[p]);
            }
            if (layout.Psf is { } psf)
            {
                RandomAccess.Write(file, layout.EncodeHeader(psf, layout.DataChecksum(psf)), psf.HeaderOffset);
                RandomAccess.Write(file, layout.PsfData, psf.DataOffset);
                WritePaddingAt(file, psf);
            }
            finalPrefix?.Invoke(bands.Length > 0 ? planes[bands[0].Plane].RowOffset(bands[0].FirstRow) : layout.Length);
        }

        /// <summary>One writing thread: takes bands until none is left (or another thread failed).</summary>
        public void Run()
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(BandBytes);
            try
            {
                int k;
                while (!failed && (k = Interlocked.Increment(ref nextBand)) < bands.Length)
                {
                    var (p, firstRow, rows) = bands[k];
                    switch (p)
                    {
                        case 0: WriteBand(file, planes[p], exposure.Image, firstRow, rows, ref buffer); break;
                        case 1: WriteBand(file, planes[p], exposure.Mask.Pixels, firstRow, rows, ref buffer); break;
                        default: WriteBand(file, planes[p], exposure.Variance, firstRow, rows, ref buffer); break;
                    }
                    Written(k);
                }
            }
            catch
            {
                failed = true;
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>Band <paramref name="k"/> is written: the final prefix grows over every band written without a gap.</summary>
        private void Written(int k)
        {
            lock (gate)
            {
                written[k] = true;
                int before = firstPending;
                while (firstPending < bands.Length && written[firstPending]) firstPending++;
                if (firstPending == before) return;
                // Under the lock, so the reports go out in order; the headers and padding between planes were written first.
                long prefix = firstPending == bands.Length
                    ? layout.Length
                    : planes[bands[firstPending].Plane].RowOffset(bands[firstPending].FirstRow);
                finalPrefix?.Invoke(prefix);
            }
        }
    }

    /// <summary>The checksum part of rows [<paramref name="firstRow"/>, +<paramref name="rows"/>) of a plane, from its native pixels.</summary>
    private static FitsChecksum SumBand<T>(FitsHduLayout hdu, Image<T> pixels, int firstRow, int rows)
    {
        var sum = FitsChecksum.Zero;
        for (int j = firstRow; j < firstRow + rows; j++) sum = sum.AddBigEndian<T>(pixels.RowAt(j), hdu.RowDataOffset(j));
        return sum;
    }

    /// <summary>Encodes rows [<paramref name="firstRow"/>, +<paramref name="rows"/>) big-endian and writes them at their offset.</summary>
    private static void WriteBand<T>(SafeFileHandle file, FitsHduLayout hdu, Image<T> pixels, int firstRow, int rows, ref byte[] buffer)
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
        RandomAccess.Write(file, band, hdu.RowOffset(firstRow));
        WriteBehind.Start(file, hdu.RowOffset(firstRow), length); // the device writes this band while the next is encoded
    }

    /// <summary>Writes the zeros between the end of <paramref name="hdu"/>'s data and the next block (explicitly: no sparse holes).</summary>
    private static void WritePaddingAt(SafeFileHandle file, FitsHduLayout hdu)
    {
        int pad = (int)(hdu.PaddedDataLength - hdu.DataLength);
        if (pad > 0) RandomAccess.Write(file, new byte[pad], hdu.DataOffset + hdu.DataLength);
    }
}
