using System.Text.Json;

namespace ImageReducer.Cli.Remote;

/// <summary>The <c>progress</c> of a status document: the orchestration's custom status.</summary>
/// <param name="Phase"><c>planning</c>, <c>mapping</c>, <c>reducing</c>, <c>succeeded</c> or <c>failed</c>.</param>
/// <param name="TilesDone">Tiles mapped (for a night: exposures finished).</param>
/// <param name="TilesTotal">Tiles in the plan (for a night: exposures).</param>
/// <param name="Output">The output blob (<c>{container, name}</c>), once known.</param>
/// <param name="Error">Why the run (or some exposures of a night) failed, when the orchestration says so.</param>
/// <param name="Failed">For a night: exposures that ended without an output.</param>
internal sealed record ProgressDocument(string? Phase, int TilesDone, int TilesTotal, JsonElement? Output, string? Error = null, int Failed = 0);
