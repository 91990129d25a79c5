using System.Text.Json;

namespace ImageReducer.Cli.Remote;

/// <summary>The body of <c>POST /api/nights</c>; null members are left out, so the app's defaults apply.</summary>
/// <param name="Prefix">Name prefix of the night's exposures.</param>
/// <param name="Container">Container of the exposures.</param>
/// <param name="OutputContainer">Container of the outputs.</param>
/// <param name="OutputPrefix">Name prefix of the outputs.</param>
/// <param name="Config">The configuration object.</param>
/// <param name="TileSize">Rows per tile.</param>
/// <param name="MaxConcurrentExposures">Exposures in flight.</param>
internal sealed record NightSubmission(string Prefix, string? Container, string? OutputContainer, string? OutputPrefix, JsonElement? Config,
    int? TileSize, int? MaxConcurrentExposures);
