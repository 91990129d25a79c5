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
    /// <summary>What the FITS reader tolerated (for example <c>SIMPLE = F</c>), naming each card; omitted when none.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }
    /// <summary>Why the file could not be read as an exposure, when it could not.</summary>
    public string? ExposureError { get; init; }
}
