using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// PSF files: a PSF alone (an empty primary HDU and the <c>PSF</c> binary-table extension of
/// docs/fits-layout.md), as the <c>coaddPsf</c> reduce output; and reading a PSF back from either a
/// PSF file or an exposure file.
/// </summary>
public static class PsfFits
{
    /// <summary>Writes <paramref name="psf"/> to <paramref name="stream"/> (deterministic bytes).</summary>
    /// <exception cref="NotSupportedException">The PSF type has no file form.</exception>
    public static void Write(Psf psf, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(psf);
        var (table, cards) = PsfTableCodec.Encode(psf);
        using var writer = new FitsWriter(stream, leaveOpen: true);
        writer.WriteEmptyPrimary();
        writer.WriteTable(table, cards);
    }

    /// <summary>Writes <paramref name="psf"/> to <paramref name="path"/> atomically (temp file + rename).</summary>
    public static void Write(Psf psf, string path)
    {
        ArgumentNullException.ThrowIfNull(psf);
        AtomicFile.Write(path, s => Write(psf, s));
    }

    /// <summary>Reads the PSF extension of a PSF file or of an exposure file.</summary>
    /// <exception cref="FitsFormatException">No PSF extension, or an invalid one.</exception>
    public static Psf Read(Stream stream, FitsReadOptions? options = null, string? fileName = null)
    {
        using var reader = new FitsReader(stream, options, fileName, leaveOpen: true);
        return Read(reader);
    }

    /// <inheritdoc cref="Read(Stream, FitsReadOptions?, string?)"/>
    public static Psf Read(string path, FitsReadOptions? options = null)
    {
        using var reader = FitsReader.Open(path, options);
        return Read(reader);
    }

    /// <summary>Reads the PSF extension from an open reader.</summary>
    public static Psf Read(FitsReader reader) => TryRead(reader)
        ?? throw FitsErrors.MissingExtension(reader.FileName, PsfTableCodec.ExtName, "the file holds no PSF (an extension with EXTNAME = 'PSF' and a PSFTYPE card)");

    /// <summary>The PSF of the file, or null when it has no PSF extension.</summary>
    public static Psf? TryRead(FitsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var hdu = reader.Hdus.FirstOrDefault(h => h.Type == FitsHduType.BinaryTable && h.IsNamed(PsfTableCodec.ExtName) && h.Header.Contains("PSFTYPE"));
        if (hdu is null) return null;
        long version = hdu.Header.TryGetInt64("PSFVERS", out long v) ? v : PsfTableCodec.FormatVersion;
        if (version != PsfTableCodec.FormatVersion)
            throw FitsErrors.InvalidPsf(reader.FileName, hdu.Index, $"PSFVERS = {version}; this reader knows version {PsfTableCodec.FormatVersion}");
        return PsfTableCodec.Decode(reader.ReadTable(hdu), hdu, reader.FileName);
    }
}
