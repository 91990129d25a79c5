using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Fits;

public static partial class ExposureFits
{
    /// <summary>
    /// What an exposure file holds besides its pixels: layout, box (with the origin xy0), PSF, WCS and
    /// metadata, as <see cref="Read(FitsReader, ExposureReadOptions?)"/> would give them. Reads only
    /// headers and the PSF table, so on a range-reading stream it costs a few small requests whatever
    /// the image size (planners and distributed writers use it).
    /// </summary>
    /// <exception cref="FitsFormatException">Invalid FITS or no known layout.</exception>
    public static ExposureFileInfo ReadInfo(FitsReader reader, ExposureReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= ExposureReadOptions.Default;
        var format = options.Format == ExposureFormat.Auto ? DetectFormat(reader, options.ExtensionVersion) : options.Format;
        FitsHdu pixels = format switch
        {
            ExposureFormat.Lsst => Require(reader, format, "IMAGE"),
            ExposureFormat.Hst or ExposureFormat.Gemini => Require(reader, format, "SCI", options.ExtensionVersion),
            ExposureFormat.Plain => reader.Hdus[0],
            _ => throw FitsErrors.LayoutMismatch(reader.FileName,
                $"no known exposure layout: expected IMAGE/MASK/VARIANCE (Lsst), SCI/ERR (Hst), SCI/VAR (Gemini) extensions or a 2-D primary image (Plain); found {Describe(reader)}"),
        };
        var (x0, y0) = Origin(reader, pixels);
        Box box = reader.FullBox(pixels).Shift(x0, y0);
        var metadata = MetadataOf(reader);
        return format switch
        {
            ExposureFormat.Lsst => new ExposureFileInfo(format, box, PsfFits.TryRead(reader), LsstWcsOf(pixels), metadata),
            ExposureFormat.Plain => new ExposureFileInfo(format, box, null, WcsOf(pixels),
                metadata.Where(c => c.IsCommentary || !ExposureFitsKeywords.IsWcs(c.Keyword) && c.Keyword is not ("BZERO" or "BSCALE" or "BLANK")).ToArray()),
            _ => new ExposureFileInfo(format, box, null, WcsOf(pixels), metadata),
        };
    }
}
