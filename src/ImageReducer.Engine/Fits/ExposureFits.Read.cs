using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Fits;

public static partial class ExposureFits
{
    /// <summary>Reads an exposure file (layout detected or named in <paramref name="options"/>).</summary>
    /// <exception cref="FitsFormatException">Invalid FITS, a layout mismatch, or a checksum mismatch.</exception>
    public static Exposure Read(string path, ExposureReadOptions? options = null)
    {
        options ??= ExposureReadOptions.Default;
        using var reader = FitsReader.Open(path, options.Fits);
        return Read(reader, options);
    }

    /// <summary>Reads an exposure from a seekable stream (left open).</summary>
    public static Exposure Read(Stream stream, ExposureReadOptions? options = null, string? fileName = null)
    {
        options ??= ExposureReadOptions.Default;
        using var reader = new FitsReader(stream, options.Fits, fileName, leaveOpen: true);
        return Read(reader, options);
    }

    /// <summary>Reads an exposure from an open reader.</summary>
    public static Exposure Read(FitsReader reader, ExposureReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= ExposureReadOptions.Default;
        var format = options.Format == ExposureFormat.Auto ? DetectFormat(reader, options.ExtensionVersion) : options.Format;
        if (format == ExposureFormat.Auto)
            throw FitsErrors.LayoutMismatch(reader.FileName,
                $"no known exposure layout: expected IMAGE/MASK/VARIANCE (Lsst), SCI/ERR (Hst), SCI/VAR (Gemini) extensions or a 2-D primary image (Plain); found {Describe(reader)}");
        if (reader.Options.VerifyChecksums) reader.VerifyChecksum(reader.Hdus[0]);
        var metadata = MetadataOf(reader);
        return format switch
        {
            ExposureFormat.Lsst => ReadLsst(reader, options, metadata),
            ExposureFormat.Hst => ReadForeign(reader, options, metadata, format, "SCI", "ERR", DataQualityMap.Hst),
            ExposureFormat.Gemini => ReadForeign(reader, options, metadata, format, "SCI", "VAR", DataQualityMap.Gemini),
            _ => ReadPlain(reader, options, metadata),
        };
    }

    /// <summary>The layout of the file, or <see cref="ExposureFormat.Auto"/> when none matches.</summary>
    public static ExposureFormat DetectFormat(FitsReader reader, int extensionVersion = 1)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.Find("IMAGE") is not null && reader.Find("MASK") is not null && reader.Find("VARIANCE") is not null) return ExposureFormat.Lsst;
        if (reader.Find("SCI", extensionVersion) is not null && reader.Find("ERR", extensionVersion) is not null) return ExposureFormat.Hst;
        if (reader.Find("SCI", extensionVersion) is not null && reader.Find("VAR", extensionVersion) is not null) return ExposureFormat.Gemini;
        if (reader.Hdus[0].IsImage2D && reader.Hdus[0].Width > 0 && reader.Hdus[0].Height > 0) return ExposureFormat.Plain;
        return ExposureFormat.Auto;
    }

    private static string Describe(FitsReader reader) =>
        string.Join(", ", reader.Hdus.Select(h => $"HDU {h.Index} {(h.ExtName ?? h.ExtType ?? (h.Index == 0 ? "PRIMARY" : "?"))} ({h.Type}, NAXIS={h.Axes.Count})"));

    private static FitsHdu Require(FitsReader reader, ExposureFormat format, string name, long? extVer = null) =>
        ImagePlane(reader, format, name, reader.Find(name, extVer) ?? throw FitsErrors.LayoutMismatch(reader.FileName,
            $"the {format} layout needs a '{name}' extension{(extVer is null ? "" : $" with EXTVER = {extVer}")}; found {Describe(reader)}"));

    /// <summary>A plane named by EXTNAME must also be an image HDU (an unknown XTENSION is a layout problem, not an axis one).</summary>
    private static FitsHdu ImagePlane(FitsReader reader, ExposureFormat format, string name, FitsHdu hdu) =>
        hdu.Type is FitsHduType.Primary or FitsHduType.Image ? hdu : throw FitsErrors.LayoutMismatch(reader.FileName,
            $"the {format} layout needs '{name}' to be an IMAGE extension, but HDU {hdu.Index} is XTENSION = '{hdu.Header[0].Value}' ({hdu.Type})");

    private static Exposure ReadLsst(FitsReader reader, ExposureReadOptions options, HeaderCard[] metadata)
    {
        var imageHdu = Require(reader, ExposureFormat.Lsst, "IMAGE");
        var maskHdu = Require(reader, ExposureFormat.Lsst, "MASK");
        var varianceHdu = Require(reader, ExposureFormat.Lsst, "VARIANCE");
        var (x0, y0) = Origin(reader, imageHdu);
        var full = SameShape(reader, imageHdu, maskHdu, varianceHdu);
        var (fileRegion, box) = Region(full, x0, y0, options.Region);

        MaskPlaneDictionary planes;
        // A loop into an array, not Where/Select/ToList: LINQ over KeyValuePair<string, int> is ~20 generic
        // methods JIT-compiled on every fresh process's read (the ReadyToRun image cannot hold them).
        var bits = new KeyValuePair<string, int>[maskHdu.Header.Count];
        int count = 0;
        foreach (var c in maskHdu.Header)
        {
            if (c.IsCommentary || !c.Keyword.StartsWith(ExposureFitsKeywords.MaskPlanePrefix, StringComparison.OrdinalIgnoreCase) || c.Keyword.Length <= 3) continue;
            bits[count++] = c.Value is long bit
                ? new KeyValuePair<string, int>(c.Keyword[3..], bit is >= int.MinValue and <= int.MaxValue ? (int)bit : -1)
                : throw FitsErrors.MalformedCard(reader.FileName, maskHdu.Index, maskHdu.Header.IndexOf(c.Keyword), c.Keyword, $"a mask-plane card must hold an integer bit, found {c.Kind}");
        }
        try
        {
            planes = count == 0 ? MaskPlaneDictionary.CreateDefault() : MaskPlaneDictionary.FromBits(bits.AsSpan(0, count));
        }
        catch (MaskPlaneException e)
        {
            throw FitsErrors.InvalidMaskPlanes(reader.FileName, maskHdu.Index, e);
        }

        var wcs = LsstWcsOf(imageHdu);
        var image = ReadPlane<float>(reader, imageHdu, fileRegion, box);
        var mask = ReadPlane<int>(reader, maskHdu, fileRegion, box);
        var variance = ReadPlane<float>(reader, varianceHdu, fileRegion, box);
        var psf = PsfFits.TryRead(reader);
        return new Exposure(new MaskedImage(image, new Mask(mask, planes), variance), psf, wcs, metadata);
    }

    private static Exposure ReadForeign(FitsReader reader, ExposureReadOptions options, HeaderCard[] metadata,
        ExposureFormat format, string sciName, string noiseName, DataQualityMap dqMap)
    {
        int ver = options.ExtensionVersion;
        var sci = Require(reader, format, sciName, ver);
        var noise = Require(reader, format, noiseName, ver);
        var dq = reader.Find("DQ", ver) is { } found ? ImagePlane(reader, format, "DQ", found) : null;
        var (x0, y0) = Origin(reader, sci);
        var full = dq is null ? SameShape(reader, sci, noise) : SameShape(reader, sci, noise, dq);
        var (fileRegion, box) = Region(full, x0, y0, options.Region);
        var image = ReadPlane<float>(reader, sci, fileRegion, box);
        var variance = ReadPlane<float>(reader, noise, fileRegion, box);
        if (format == ExposureFormat.Hst)
            for (int j = 0; j < variance.Height; j++)
                foreach (ref float v in variance.RowAt(j)) v *= v; // ERR is σ
        var planes = MaskPlaneDictionary.CreateDefault();
        Image<int> mask;
        if (dq is null) mask = new Image<int>(box);
        else
        {
            mask = ReadPlane<int>(reader, dq, fileRegion, box);
            dqMap.Apply(mask, planes);
        }
        return new Exposure(new MaskedImage(image, new Mask(mask, planes), variance), null, WcsOf(sci), metadata);
    }

    private static Exposure ReadPlain(FitsReader reader, ExposureReadOptions options, HeaderCard[] metadata)
    {
        var primary = reader.Hdus[0];
        if (!(primary.IsImage2D && primary.Width > 0 && primary.Height > 0))
            throw FitsErrors.LayoutMismatch(reader.FileName, $"the Plain layout needs a 2-D image in the primary HDU; found {Describe(reader)}");
        var (x0, y0) = Origin(reader, primary);
        var (fileRegion, box) = Region(reader.FullBox(primary), x0, y0, options.Region);
        var image = ReadPlane<float>(reader, primary, fileRegion, box);
        var variance = new Image<float>(box);
        if (options.Noise is { } model)
            for (int j = 0; j < box.Height; j++)
            {
                var src = image.RowAt(j);
                var dst = variance.RowAt(j);
                for (int i = 0; i < src.Length; i++) dst[i] = model.Variance(src[i]);
            }
        var meta = metadata.Where(c => c.IsCommentary || !ExposureFitsKeywords.IsWcs(c.Keyword) && c.Keyword is not ("BZERO" or "BSCALE" or "BLANK")).ToArray();
        return new Exposure(new MaskedImage(image, new Mask(box), variance), null, WcsOf(primary), meta);
    }

    private static HeaderCard[] MetadataOf(FitsReader reader) => reader.Hdus[0].Header
        .Where(c => c.Kind is not (FitsValueKind.Unparsed or FitsValueKind.End) && (c.IsCommentary || !FitsHeaderBuilder.IsWriterOwned(c.Keyword)))
        .Select(c => c.ToHeaderCard()).ToArray();

    private static HeaderCard[] LsstWcsOf(FitsHdu imageHdu) => imageHdu.Header
        .Where(c => c.Kind is not (FitsValueKind.Unparsed or FitsValueKind.End) && (c.IsCommentary || !ExposureFitsKeywords.IsLayoutOwned(c.Keyword)))
        .Select(c => c.ToHeaderCard()).ToArray();

    private static HeaderCard[] WcsOf(FitsHdu hdu) => hdu.Header
        .Where(c => !c.IsCommentary && c.Kind is not (FitsValueKind.Unparsed or FitsValueKind.End) && ExposureFitsKeywords.IsWcs(c.Keyword))
        .Select(c => c.ToHeaderCard()).ToArray();

    /// <summary>Reads a float or int plane; the common case (stored as <typeparamref name="T"/>, whole) without generic math.</summary>
    /// <remarks>Unconstrained so crossgen2 precompiles it (see <see cref="Image{T}"/>); only a plane that needs converting or scaling reaches the generic-math reader.</remarks>
    private static Image<T> ReadPlane<T>(FitsReader reader, FitsHdu hdu, Box fileRegion, Box box)
    {
        var image = Image<T>.CreateUninitialized(box);
        try
        {
            if (!reader.TryReadNativeInto(hdu, fileRegion, image))
            {
                if (typeof(T) == typeof(float)) reader.ReadImageInto(hdu, fileRegion, (Image<float>)(object)image);
                else if (typeof(T) == typeof(int)) reader.ReadImageInto(hdu, fileRegion, (Image<int>)(object)image);
                else throw new NotSupportedException($"exposure planes are float or int, not {typeof(T).Name}");
            }
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>xy0 from the LINEAR 'A' WCS (spec §7), else from −LTV1/−LTV2, else (0, 0).</summary>
    private static (int X0, int Y0) Origin(FitsReader reader, FitsHdu hdu)
    {
        var h = hdu.Header;
        if (string.Equals(h.GetString("CTYPE1A")?.Trim(), "LINEAR", StringComparison.OrdinalIgnoreCase) && h.Contains("CRVAL1A") && h.Contains("CRVAL2A"))
            return (Integral(reader, hdu, "CRVAL1A", h.GetDouble("CRVAL1A", 0) - (h.GetDouble("CRPIX1A", 1) - 1)),
                    Integral(reader, hdu, "CRVAL2A", h.GetDouble("CRVAL2A", 0) - (h.GetDouble("CRPIX2A", 1) - 1)));
        if (h.Contains("LTV1") || h.Contains("LTV2"))
            return (Integral(reader, hdu, "LTV1", -h.GetDouble("LTV1", 0)), Integral(reader, hdu, "LTV2", -h.GetDouble("LTV2", 0)));
        return (0, 0);
    }

    private static int Integral(FitsReader reader, FitsHdu hdu, string keyword, double v)
    {
        if (v != Math.Round(v) || Math.Abs(v) > int.MaxValue / 2)
            throw FitsErrors.MalformedCard(reader.FileName, hdu.Index, hdu.Header.IndexOf(keyword), keyword, $"the image origin must be a whole pixel number, found {v}");
        return (int)v;
    }

    private static Box SameShape(FitsReader reader, FitsHdu first, params FitsHdu[] others)
    {
        var box = reader.FullBox(first);
        foreach (var o in others)
        {
            var b = reader.FullBox(o);
            if (b != box)
                throw FitsErrors.ShapeMismatch(reader.FileName, o.Index,
                    $"{o.ExtName ?? "this HDU"} is {b.Width} x {b.Height} but {first.ExtName ?? "the image"} (HDU {first.Index}) is {box.Width} x {box.Height}");
        }
        return box;
    }

    /// <summary>The file region to read and the parent box it becomes.</summary>
    private static (Box FileRegion, Box Box) Region(Box full, int x0, int y0, Box? region)
    {
        var parent = full.Shift(x0, y0);
        if (region is not { } r) return (full, parent);
        if (r.IsEmpty || !parent.Contains(r))
            throw new ArgumentOutOfRangeException(nameof(region), $"The requested region {r} is not inside the exposure's {parent}.");
        return (r.Shift(-x0, -y0), r);
    }
}
