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

    /// <summary>
    /// The PSF to use instead of the input's (or for an input without one), as <c>imred run --psf</c> takes it:
    /// <c>gaussian:sigma=2</c>, <c>double-gaussian:sigma1=2,sigma2=3.7,b=0.1</c>, <c>kernel:az://container/name</c> (a PSF or kernel
    /// blob in an input container); default: the input's stored PSF.
    /// </summary>
    public string? Psf { get; init; }

    /// <summary>
    /// How the exposure is split into activities: <c>tiled</c> (plan, tiles, reduce), <c>whole</c> (one activity) or
    /// <c>auto</c> (whole where it fits the app's <c>ImageReducer__WholeExposureMemoryBytes</c>); default the app's
    /// <c>ImageReducer__ExposureFlow</c> (tiled). The output is the same bytes whatever the flow.
    /// </summary>
    public string? Flow { get; init; }
}
