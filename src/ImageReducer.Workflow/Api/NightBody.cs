using System.Text.Json;

namespace ImageReducer.Workflow.Api;

/// <summary>Body of <c>POST /api/nights</c>; null members are left out, so the app's defaults apply.</summary>
/// <param name="Container">Container of the night's exposures; default the incoming container.</param>
/// <param name="Prefix">Name prefix of the night, e.g. <c>2026-11-24/</c> (required).</param>
/// <param name="OutputContainer">Default the output container.</param>
/// <param name="OutputPrefix">Default the night's prefix.</param>
/// <param name="Config">As for a reduction.</param>
/// <param name="TileSize">As for a reduction.</param>
/// <param name="MaxConcurrentExposures">Exposures in flight, 1–64; default 4.</param>
public sealed record NightBody(string? Container, string? Prefix, string? OutputContainer, string? OutputPrefix, JsonElement? Config,
    int? TileSize, int? MaxConcurrentExposures);
