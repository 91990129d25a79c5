using System.Text.Json;

namespace ImageReducer.Cli.Remote;

/// <summary>The body of <c>POST /api/reductions</c>; null members are left out, so the app's defaults apply.</summary>
/// <param name="Input"><c>container/name</c> or <c>az://container/name</c>.</param>
/// <param name="Output">The output blob.</param>
/// <param name="Config">The configuration object.</param>
/// <param name="TileSize">Rows per tile.</param>
internal sealed record ReductionSubmission(string Input, string? Output, JsonElement? Config, int? TileSize);
