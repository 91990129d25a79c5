namespace ImageReducer.Engine.Fits;

/// <summary>
/// Reads FITS from any seekable stream using only <see cref="Stream.Read(Span{byte})"/>,
/// <see cref="Stream.Seek"/> and <see cref="Stream.Length"/>: headers are read block by block when the
/// reader opens, data units are skipped with Seek and read only when asked (a whole image, a
/// sub-rectangle, a table, or a checksum pass).
/// </summary>
/// <remarks>
/// Suitable for remote streams with range reads (each data request is one Seek + sequential Reads).
/// Every declared size is checked against the stream length and <see cref="FitsReadOptions"/> before
/// anything is allocated. Not thread-safe: one reader serves one caller at a time.
/// </remarks>
public sealed partial class FitsReader : IDisposable
{
    private readonly Stream stream;
    private readonly bool leaveOpen;
    private readonly List<FitsHdu> hdus = [];
    private readonly List<FitsWarning> warnings = [];
    private long position = -1;

    /// <summary>Opens <paramref name="stream"/> and reads every header.</summary>
    /// <param name="stream">A readable, seekable stream positioned anywhere (the file starts at offset 0).</param>
    /// <param name="options">Limits and policy; <see cref="FitsReadOptions.Default"/> when null.</param>
    /// <param name="fileName">Name used in error messages.</param>
    /// <param name="leaveOpen">When false, <see cref="Dispose"/> disposes the stream.</param>
    /// <exception cref="ArgumentException">The stream cannot read or seek.</exception>
    /// <exception cref="FitsFormatException">A header is invalid.</exception>
    public FitsReader(Stream stream, FitsReadOptions? options = null, string? fileName = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
            throw new ArgumentException("FitsReader needs a readable, seekable stream.", nameof(stream));
        this.stream = stream;
        this.leaveOpen = leaveOpen;
        Options = options ?? FitsReadOptions.Default;
        FileName = fileName;
        try
        {
            ScanHdus();
        }
        catch
        {
            if (!leaveOpen) stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens a file for reading (sequential-scan hint, shared read).</summary>
    public static FitsReader Open(string path, FitsReadOptions? options = null)
    {
        var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return new FitsReader(fs, options, path);
    }

    /// <summary>The options in force.</summary>
    public FitsReadOptions Options { get; }

    /// <summary>The name used in error messages, or null.</summary>
    public string? FileName { get; }

    /// <summary>
    /// What the headers break that does not stop reading (<c>SIMPLE = F</c>, a lower-case keyword), in
    /// file order; callers show these to the user (docs/errors.md, "Strictness").
    /// </summary>
    public IReadOnlyList<FitsWarning> Warnings => warnings;

    /// <summary>All HDUs, primary first.</summary>
    public IReadOnlyList<FitsHdu> Hdus => hdus;

    /// <summary>The first extension whose EXTNAME (or EXTTYPE) is <paramref name="name"/> (and EXTVER, if given), or null.</summary>
    public FitsHdu? Find(string name, long? extVer = null) =>
        hdus.FirstOrDefault(h => h.IsNamed(name) && (extVer is null || h.ExtVer == extVer));

    /// <summary>Reads exactly <paramref name="destination"/>.Length bytes at <paramref name="offset"/>, seeking only when needed.</summary>
    private void ReadExactly(long offset, Span<byte> destination, int hdu)
    {
        if (position != offset)
        {
            stream.Seek(offset, SeekOrigin.Begin);
            position = offset;
        }
        int total = 0;
        while (total < destination.Length)
        {
            int n = stream.Read(destination[total..]);
            if (n <= 0)
            {
                position = -1;
                throw FitsErrors.UnexpectedEndOfData(FileName, hdu, offset, destination.Length, total);
            }
            total += n;
        }
        position += total;
    }

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes; returns how many (fewer only at end of stream).</summary>
    private int ReadAtMost(long offset, Span<byte> destination)
    {
        if (position != offset)
        {
            stream.Seek(offset, SeekOrigin.Begin);
            position = offset;
        }
        int total = 0;
        while (total < destination.Length)
        {
            int n = stream.Read(destination[total..]);
            if (n <= 0) break;
            total += n;
        }
        position += total;
        return total;
    }

    public void Dispose()
    {
        if (!leaveOpen) stream.Dispose();
    }
}
