using System.Text.Json.Nodes;

namespace ImageReducer.Cli.Output;

/// <summary>
/// What <c>imred run</c> records next to its output (<c>OUTPUT.metadata.json</c>): tool version, input and
/// output SHA-256, the resolved configuration with the FWHM and pixel sizes used, cell count,
/// overlap statistics (<c>average</c>) and timings in seconds.
/// </summary>
internal sealed record RunMetadata
{
    public required ToolInfo Tool { get; init; }
    public required FileDigest Input { get; init; }
    /// <summary>The mapper's auxiliary inputs (<c>--aux</c>), in declaration order; omitted when none.</summary>
    public IReadOnlyList<Files.AuxiliaryDigest>? Auxiliary { get; init; }
    /// <summary>The resolved MapReduceConfig (reference camelCase) plus <c>fwhm</c> and <c>pixelSizes</c>.</summary>
    public required JsonObject Config { get; init; }
    public required int CellCount { get; init; }
    public required int Threads { get; init; }
    public OverlapStatistics? Overlap { get; init; }
    public required OutputDigest Output { get; init; }
    public required Timings Timings { get; init; }
}
