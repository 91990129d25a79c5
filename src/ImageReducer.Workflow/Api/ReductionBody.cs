using System.Text.Json;

namespace ImageReducer.Workflow.Api;

/// <summary>Body of <c>POST /api/reductions</c>; null members are left out, so the app's defaults apply.</summary>
/// <param name="Input">The exposure: <c>container/name</c> or <c>az://container/name</c> (required).</param>
/// <param name="Output">The output blob; default: the output container, the input's name (see ReductionNames.OutputFor).</param>
/// <param name="Config">The map-reduce configuration object; default: the engine's defaults.</param>
/// <param name="TileSize">Rows per tile; default <c>ImageReducer__TileSize</c>.</param>
public sealed record ReductionBody(string? Input, string? Output, JsonElement? Config, int? TileSize)
{
    /// <summary>
    /// The mapper's auxiliary inputs by name, each a blob like <see cref="Input"/>: <c>{"template": "templates/a.fits",
    /// "psfMatchingKernel": "kernels/a.fits"}</c> (the names the CLI's <c>--aux NAME=PATH</c> takes).
    /// </summary>
    public IReadOnlyDictionary<string, string>? Auxiliary { get; init; }
}
