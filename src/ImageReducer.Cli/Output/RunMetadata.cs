using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ImageReducer.Cli.Output;

/// <summary>
/// What <c>imred run</c> records next to its output (<c>OUTPUT.json</c>): tool version, input and
/// output SHA-256, the resolved configuration with the FWHM and pixel sizes used, cell count,
/// overlap statistics (<c>average</c>) and timings in seconds.
/// </summary>
internal sealed record RunMetadata
{
    public required ToolInfo Tool { get; init; }
    public required FileDigest Input { get; init; }
    /// <summary>The resolved MapReduceConfig (reference camelCase) plus <c>fwhm</c> and <c>pixelSizes</c>.</summary>
    public required JsonObject Config { get; init; }
    public required int CellCount { get; init; }
    public required int Threads { get; init; }
    public OverlapStatistics? Overlap { get; init; }
    public required OutputDigest Output { get; init; }
    public required Timings Timings { get; init; }
}

/// <summary>The tool that wrote the file.</summary>
internal sealed record ToolInfo(string Name, string Version);

/// <summary>An input file: path as given, absolute path, SHA-256, and the FITS layout it was read with.</summary>
internal sealed record FileDigest(string Path, string Sha256, string? Layout = null);

/// <summary>An output file and what it holds (<c>exposure</c>, <c>results</c>, <c>psf</c>).</summary>
internal sealed record OutputDigest(string Path, string Sha256, string Kind);

/// <summary>Per-pixel contribution counts of an <c>average</c> (the reference logs the same figures).</summary>
internal sealed record OverlapStatistics(double Max, double Mean, double Min, long ZeroCount, double ZeroPercent);

/// <summary>Wall-clock seconds per phase; the snake_case names are part of the contract.</summary>
internal sealed record Timings(
    [property: JsonPropertyName("read_s")] double ReadSeconds,
    [property: JsonPropertyName("map_s")] double MapSeconds,
    [property: JsonPropertyName("reduce_s")] double ReduceSeconds,
    [property: JsonPropertyName("write_s")] double WriteSeconds,
    [property: JsonPropertyName("total_s")] double TotalSeconds);
