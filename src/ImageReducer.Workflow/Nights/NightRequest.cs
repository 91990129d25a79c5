namespace ImageReducer.Workflow.Nights;

/// <summary>A survey night: every exposure under a prefix of a container, reduced the same way.</summary>
/// <param name="Container">Container of the exposures.</param>
/// <param name="Prefix">Name prefix of the night (for example <c>2026-11-24/</c>); exposures are the <c>.fits</c> blobs under it.</param>
/// <param name="OutputContainer">Where outputs and the night report go.</param>
/// <param name="OutputPrefix">Name prefix of the outputs (for example <c>2026-11-24/</c>).</param>
/// <param name="ConfigJson">The configuration for every exposure.</param>
/// <param name="TileSize">Rows per tile.</param>
/// <param name="MaxConcurrentExposures">Exposure reductions in flight at once (≥ 1).</param>
public sealed record NightRequest(string Container, string Prefix, string OutputContainer, string OutputPrefix, string ConfigJson,
    int TileSize, int MaxConcurrentExposures = 4)
{
    /// <summary>The orchestration instance running the night, set on the copies handed to the night's activities, for their logs.</summary>
    public string? InstanceId { get; init; }
}
