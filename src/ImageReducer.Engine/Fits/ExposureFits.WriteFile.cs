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
    /// <param name="exposure">The exposure to write.</param>
    /// <param name="file">A file opened for writing; its content is replaced.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads, or −1 for all cores.</param>
    /// <param name="finalPrefix">
    /// Optional: called with <c>n</c> each time the first <c>n</c> bytes of the file are written for good (an HDU is
    /// complete, its header included), with growing <c>n</c>, the last call with the file's length; from a writing
    /// thread, so it must return at once. A digest of the file can follow the write with it instead of starting after.
    /// </param>
    /// <remarks>
    /// One pass over the pixels: each thread takes the next band of ~1 MiB of rows (bands go out in file order),
    /// encodes it big-endian into its own buffer, adds it to the plane's checksum while the band is in its cache
    /// and writes it at its offset (<see cref="ExposureFitsLayout"/>); the thread that finishes a plane's last
    /// band writes that plane's header, which carries the sums. Checksum parts combine exactly in any order, so
    /// the output does not depend on the thread count. Each band's disk write is started as soon as it is
    /// written (<see cref="WriteBehind"/>), but nothing is made durable: the caller decides about fsync.
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
        RandomAccess.SetLength(file, layout.Length);
        RandomAccess.Write(file, layout.EncodeHeader(layout.Primary, FitsChecksum.Zero), layout.Primary.HeaderOffset);
        finalPrefix?.Invoke(layout.Primary.EndOffset);
        var writer = new BandWriter(exposure, file, layout, finalPrefix);
        int workers = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        try
        {
            Parallel.For(0, Math.Min(workers, writer.BandCount), new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, _ => writer.Run());
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // The caller sees the write's own error (disk full, I/O error), not the loop's wrapper.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            throw;
        }
        writer.CompleteEmptyPlanes();
        if (layout.Psf is { } psf)
        {
            RandomAccess.Write(file, layout.EncodeHeader(psf, layout.DataChecksum(psf)), psf.HeaderOffset);
            RandomAccess.Write(file, layout.PsfData, psf.DataOffset);
            WritePaddingAt(file, psf);
        }
        finalPrefix?.Invoke(layout.Length);
    }

    /// <summary>
    /// The bands of the three planes, handed out in file order to the writing threads, and what completes a plane
    /// (its header) and the file's final prefix.
    /// </summary>
    private sealed class BandWriter
    {
        private readonly Exposure exposure;
        private readonly SafeFileHandle file;
        private readonly ExposureFitsLayout layout;
        private readonly Action<long>? finalPrefix;
        private readonly FitsHduLayout[] planes;
        private readonly Band[] bands;
        private readonly FitsChecksum[] sums;
        private readonly int[] bandsLeft;   // per plane: bands not yet written
        private readonly bool[] planeDone;  // per plane: header written too (under gate)
        private readonly Lock gate = new();
        private int nextBand = -1;
        private int donePlanes;             // planes [0, donePlanes) are complete (under gate)
        private volatile bool failed;

        public BandWriter(Exposure exposure, SafeFileHandle file, ExposureFitsLayout layout, Action<long>? finalPrefix)
        {
            (this.exposure, this.file, this.layout, this.finalPrefix) = (exposure, file, layout, finalPrefix);
            planes = [layout.Plane(ExposurePlane.Image), layout.Plane(ExposurePlane.Mask), layout.Plane(ExposurePlane.Variance)];
            // Arrays of a struct of our own, not a List of tuples: those generic instantiations are not in the
            // ReadyToRun image and cost a fresh process ~8 JIT-compiled methods.
            bandsLeft = new int[planes.Length];
            var rowsPerBand = new int[planes.Length];
            for (int p = 0; p < planes.Length; p++)
            {
                rowsPerBand[p] = (int)Math.Max(1, BandBytes / planes[p].RowLength);
                bandsLeft[p] = (planes[p].Height + rowsPerBand[p] - 1) / rowsPerBand[p];
            }
            bands = new Band[bandsLeft[0] + bandsLeft[1] + bandsLeft[2]];
            int k = 0;
            for (int p = 0; p < planes.Length; p++)
                for (int y = 0; y < planes[p].Height; y += rowsPerBand[p])
                    bands[k++] = new Band(p, y, Math.Min(rowsPerBand[p], planes[p].Height - y));
            sums = new FitsChecksum[bands.Length];
            planeDone = new bool[planes.Length];
        }

        public int BandCount => bands.Length;

        /// <summary>Rows [<see cref="FirstRow"/>, +<see cref="Rows"/>) of plane <see cref="Plane"/>.</summary>
        private readonly record struct Band(int Plane, int FirstRow, int Rows);

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
                    sums[k] = p switch
                    {
                        0 => WriteBand(file, planes[p], exposure.Image, firstRow, rows, ref buffer),
                        1 => WriteBand(file, planes[p], exposure.Mask.Pixels, firstRow, rows, ref buffer),
                        _ => WriteBand(file, planes[p], exposure.Variance, firstRow, rows, ref buffer),
                    };
                    if (Interlocked.Decrement(ref bandsLeft[p]) == 0) CompletePlane(p);
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

        /// <summary>Writes the header of any plane that had no band to write (and so was never completed by one).</summary>
        public void CompleteEmptyPlanes()
        {
            for (int p = 0; p < planes.Length; p++)
                if (Volatile.Read(ref bandsLeft[p]) == 0 && !planeDone[p]) CompletePlane(p);
        }

        /// <summary>Every band of plane <paramref name="p"/> is written (their sums are visible after the interlocked count): its header and padding go out.</summary>
        private void CompletePlane(int p)
        {
            var sum = FitsChecksum.Zero;
            for (int k = 0; k < bands.Length; k++)
                if (bands[k].Plane == p) sum += sums[k];
            RandomAccess.Write(file, layout.EncodeHeader(planes[p], sum), planes[p].HeaderOffset);
            WritePaddingAt(file, planes[p]);
            lock (gate)
            {
                planeDone[p] = true;
                int before = donePlanes;
                while (donePlanes < planes.Length && planeDone[donePlanes]) donePlanes++;
                // Under the lock, so the reports go out in order.
                if (donePlanes > before) finalPrefix?.Invoke(planes[donePlanes - 1].EndOffset);
            }
        }
    }

    /// <summary>Encodes rows [<paramref name="firstRow"/>, +<paramref name="rows"/>) big-endian, writes them at their offset and returns their checksum part.</summary>
    private static FitsChecksum WriteBand<T>(SafeFileHandle file, FitsHduLayout hdu, Image<T> pixels, int firstRow, int rows, ref byte[] buffer)
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
        WriteBehind.Start(file, hdu.RowOffset(firstRow), length); // the device writes this band while the next is encoded
        return sum;
    }

    /// <summary>Writes the zeros between the end of <paramref name="hdu"/>'s data and the next block (explicitly: no sparse holes).</summary>
    private static void WritePaddingAt(SafeFileHandle file, FitsHduLayout hdu)
    {
        int pad = (int)(hdu.PaddedDataLength - hdu.DataLength);
        if (pad > 0) RandomAccess.Write(file, new byte[pad], hdu.DataOffset + hdu.DataLength);
    }
}
