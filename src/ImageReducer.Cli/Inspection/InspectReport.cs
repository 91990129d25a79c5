namespace ImageReducer.Cli.Inspection;

/// <summary><c>imred inspect --json</c>: what a FITS file holds.</summary>
internal sealed record InspectReport
{
    public required string File { get; init; }
    public required long SizeBytes { get; init; }
    public required string Sha256 { get; init; }
    /// <summary><c>lsst</c>, <c>hst</c>, <c>gemini</c>, <c>plain</c>, <c>psf</c> (a PSF file) or <c>unknown</c>.</summary>
    public required string Layout { get; init; }
    public required IReadOnlyList<HduSummary> Hdus { get; init; }
    /// <summary>The checksum status of the whole file: <c>ok</c> (every HDU with sums verifies), <c>bad</c> or <c>absent</c>.</summary>
    public required string Checksum { get; init; }
    public ExposureSummary? Exposure { get; init; }
    public PsfSummary? Psf { get; init; }
    public WcsSummary? Wcs { get; init; }
    /// <summary>Why the file could not be read as an exposure, when it could not.</summary>
    public string? ExposureError { get; init; }
}

/// <summary>One HDU: type, name, BITPIX, axes, card count and checksum status (<c>ok</c>, <c>bad</c>, <c>absent</c>).</summary>
internal sealed record HduSummary(int Index, string Type, string? ExtName, int Bitpix, IReadOnlyList<long> Axes, int Cards, string Checksum, string? ChecksumError);

/// <summary>The planes of the exposure.</summary>
internal sealed record ExposureSummary(int Width, int Height, int[] Xy0, int[] Bbox, IReadOnlyList<MaskPlaneSummary> MaskPlanes, PlaneStatistics Image, PlaneStatistics Variance);

/// <summary>A mask plane, its bit and how many pixels have it set.</summary>
internal sealed record MaskPlaneSummary(string Name, int Bit, long Pixels);

/// <summary>Basic statistics of the finite pixels of a plane (median exact up to a 1 000 000-pixel regular sample).</summary>
internal sealed record PlaneStatistics(long Pixels, long NonFinite, double? Min, double? Max, double? Mean, double? Median, double? StdDev);

/// <summary>The PSF: kind, FWHM at its average position and that position.</summary>
internal sealed record PsfSummary(string Kind, double? Fwhm, double[] AveragePosition, string? Error);

/// <summary>The celestial WCS in brief.</summary>
internal sealed record WcsSummary(string[] Ctype, double[]? Crval, double[]? Crpix, double? PixelScaleArcsec, int Cards);
