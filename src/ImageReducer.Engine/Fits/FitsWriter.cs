using System.Buffers;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// Writes FITS HDUs one after the other to a stream, strictly: the writer generates the structural
/// cards (SIMPLE/XTENSION, BITPIX, NAXISn, EXTEND, PCOUNT, GCOUNT, TFIELDS, TTYPEn, TFORMn), DATASUM
/// and CHECKSUM itself and drops callers' copies of them; data are big-endian and padded with zeros,
/// headers with spaces. Output depends only on the input (no dates, no random values).
/// </summary>
/// <remarks>
/// Works on non-seekable streams: the data checksum is computed from the pixels before the header
/// is written. Cards given by the caller are written as their raw text, so a header read from a file
/// is copied through unchanged. Image pixels are written as stored values: a caller who adds BZERO /
/// BSCALE / BLANK cards gives the stored (raw) values. Not thread-safe.
/// </remarks>
public sealed class FitsWriter : IDisposable
{
    private const int ChunkBytes = 1 << 20;
    private readonly Stream stream;
    private readonly bool leaveOpen;

    /// <summary>Writes to <paramref name="stream"/>; when <paramref name="leaveOpen"/> is false, <see cref="Dispose"/> disposes it.</summary>
    public FitsWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("FitsWriter needs a writable stream.", nameof(stream));
        this.stream = stream;
        this.leaveOpen = leaveOpen;
    }

    /// <summary>HDUs written so far (the first one is the primary).</summary>
    public int HduCount { get; private set; }

    /// <summary>Writes a primary HDU without data (NAXIS = 0) holding <paramref name="cards"/>.</summary>
    /// <exception cref="InvalidOperationException">A primary HDU was already written.</exception>
    public void WriteEmptyPrimary(IEnumerable<FitsCard>? cards = null, bool checksum = true)
    {
        if (HduCount != 0) throw new InvalidOperationException("The primary HDU has already been written.");
        var header = FitsHeaderBuilder.EmptyPrimary(cards, checksum);
        stream.Write(FitsHeaderBuilder.Encode(header, FitsChecksum.Zero));
        HduCount++;
    }

    /// <summary>
    /// Writes <paramref name="image"/> as the primary HDU (if none was written yet) or as an IMAGE
    /// extension. BITPIX follows <typeparamref name="T"/>: byte 8, short 16, int 32, long 64, float −32, double −64.
    /// </summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no BITPIX.</exception>
    public void WriteImage<T>(Image<T> image, IEnumerable<FitsCard>? cards = null, bool checksum = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        int bitpix = FitsPixels.BitpixOf<T>();
        if (bitpix == 0) throw new NotSupportedException($"Pixel type {typeof(T).Name} has no FITS BITPIX.");
        var header = FitsHeaderBuilder.Image(HduCount == 0, bitpix, image.Width, image.Height, cards, checksum);
        var sum = checksum ? DataChecksum(image) : FitsChecksum.Zero;
        stream.Write(FitsHeaderBuilder.Encode(header, sum));
        WriteRows(stream, image, 0, image.Height);
        WritePadding(stream, image.Box.Area * (Math.Abs(bitpix) / 8));
        HduCount++;
    }

    /// <summary>Writes a BINTABLE extension (a primary HDU must have been written first).</summary>
    /// <exception cref="InvalidOperationException">No primary HDU yet.</exception>
    public void WriteTable(FitsTable table, IEnumerable<FitsCard>? cards = null, bool checksum = true)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (HduCount == 0) throw new InvalidOperationException("Write the primary HDU before a table extension.");
        var header = FitsHeaderBuilder.Table(table, cards, checksum);
        var sum = FitsChecksum.Zero.Add(table.Data);
        stream.Write(FitsHeaderBuilder.Encode(header, sum));
        stream.Write(table.Data);
        WritePadding(stream, table.Data.Length);
        HduCount++;
    }

    /// <summary>Flushes the stream.</summary>
    public void Flush() => stream.Flush();

    /// <summary>The checksum of the big-endian data unit of <paramref name="image"/>, computed from the native pixels.</summary>
    public static FitsChecksum DataChecksum<T>(Image<T> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var sum = FitsChecksum.Zero;
        long rowBytes = (long)image.Width * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (image.IsContiguous) return sum.AddBigEndian<T>(image.Pixels, 0);
        for (int j = 0; j < image.Height; j++) sum = sum.AddBigEndian<T>(image.RowAt(j), j * rowBytes);
        return sum;
    }

    /// <summary>Writes rows [<paramref name="firstRow"/>, +<paramref name="rowCount"/>) of <paramref name="image"/> big-endian, in ~1 MiB writes.</summary>
    /// <remarks>
    /// Local row indices (0 = the image's first row). Public so a distributed writer emits a band of a
    /// plane's data unit with the encoder the exposure writer uses (see <see cref="ExposureFitsLayout"/>).
    /// </remarks>
    public static void WriteRows<T>(Stream stream, Image<T> image, int firstRow, int rowCount)
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        int rowBytes = checked(image.Width * size);
        int rowsPerChunk = Math.Max(1, ChunkBytes / rowBytes);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(checked(rowsPerChunk * rowBytes));
        try
        {
            for (int j = firstRow; j < firstRow + rowCount; j += rowsPerChunk)
            {
                int n = Math.Min(rowsPerChunk, firstRow + rowCount - j);
                for (int k = 0; k < n; k++)
                    FitsPixels.ToBigEndian<T>(image.RowAt(j + k), buffer.AsSpan(k * rowBytes, rowBytes));
                stream.Write(buffer, 0, n * rowBytes);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Zeros from the end of a data unit of <paramref name="dataLength"/> bytes to the next block.</summary>
    internal static void WritePadding(Stream stream, long dataLength)
    {
        int pad = (int)(FitsConstants.PadToBlock(dataLength) - dataLength);
        if (pad > 0) stream.Write(new byte[pad]);
    }

    public void Dispose()
    {
        if (leaveOpen) stream.Flush();
        else stream.Dispose();
    }
}
