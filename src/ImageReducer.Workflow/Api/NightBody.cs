using System.Text.Json;

namespace ImageReducer.Workflow.Api;

/// <summary>Body of <c>POST /api/nights</c>; null members are left out, so the app's defaults apply.</summary>
/// <param name="Container">Container of the night's exposures; default the incoming container.</param>
/// <param name="Prefix">Name prefix of the night, e.g. <c>2026-11-24/</c> (required).</param>
/// <param name="OutputContainer">Default the output container.</param>
/// <param name="OutputPrefix">Default the night's prefix.</param>
/// <param name="Config">As for a reduction.</param>
/// <param name="TileSize">As for a reduction.</param>
/// <param name="MaxConcurrentExposures">Exposures in flight night-wide, 1–5000; default 4.</param>
/// <param name="BatchSize">Most exposures per batch, 1–1000; default 1000 (a batch never spans two visits).</param>
/// <param name="Force">Reduce every exposure, even those whose output exists from the same run inputs; default false (a rerun resumes).</param>
/// <param name="PurgeExposures">Purge each exposure's instance once the report records it; default true.</param>
public sealed record NightBody(string? Container, string? Prefix, string? OutputContainer, string? OutputPrefix, JsonElement? Config,
    int? TileSize, int? MaxConcurrentExposures, int? BatchSize = null, bool? Force = null, bool? PurgeExposures = null)
{
    /// <summary>The PSF every exposure uses instead of its own, as for a reduction (<see cref="ReductionBody.Psf"/>).</summary>
    public string? Psf { get; init; }

    /// <summary>
    /// The mapper's auxiliary inputs of each exposure, by name, as patterns with placeholders from the exposure's name
    /// (<see cref="Nights.NightAuxiliary"/>): <c>{"template": "templates/{dir}{stem}.fits"}</c>. An exposure whose blob
    /// is missing fails with <c>AuxiliaryInput</c> in the night report; the others go on.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Auxiliary { get; init; }

    /// <summary>
    /// How each exposure is split into activities: <c>auto</c> (one activity where the exposure fits the app's
    /// <c>ImageReducer__WholeExposureMemoryBytes</c>, else tiled), <c>whole</c> or <c>tiled</c>; default the app's
    /// <c>ImageReducer__NightExposureFlow</c> (auto). The outputs are the same bytes whatever the flow.
    /// </summary>
    public string? Flow { get; init; }
}
