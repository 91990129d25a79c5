using System.Text.Json.Serialization;
using ImageReducer.Engine.Config;

namespace ImageReducer.Workflow.Nights;

/// <summary>A survey night: every exposure under a prefix of a container, reduced the same way.</summary>
/// <param name="Container">Container of the exposures.</param>
/// <param name="Prefix">Name prefix of the night (for example <c>2026-11-24/</c>); exposures are the <c>.fits</c> blobs under it.</param>
/// <param name="OutputContainer">Where outputs and the night report go.</param>
/// <param name="OutputPrefix">Name prefix of the outputs (for example <c>2026-11-24/</c>).</param>
/// <param name="Config">
/// The configuration for every exposure, parsed once at the night's edge and carried typed (at most
/// <see cref="NightLimits.MaxConfigBytes"/> UTF-8 bytes in its JSON form).
/// </param>
/// <param name="TileSize">Rows per tile.</param>
/// <param name="MaxConcurrentExposures">Exposure reductions in flight at once, night-wide (≥ 1).</param>
public sealed record NightRequest(string Container, string Prefix, string OutputContainer, string OutputPrefix,
    [property: JsonConverter(typeof(MapReduceConfigConverter))] MapReduceConfig Config,
    int TileSize, int MaxConcurrentExposures = 4)
{
    /// <summary>The orchestration instance running the night, set on the copies handed to the night's activities and sub-orchestrations.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Most exposures per batch (1 … <see cref="NightLimits.MaxBatchSize"/>); a batch never spans two visits either.</summary>
    public int BatchSize { get; init; } = NightLimits.MaxBatchSize;

    /// <summary>
    /// The PSF every exposure uses instead of its stored one, as <see cref="Reduction.ReductionRequest.Psf"/> (the syntax of
    /// <c>imred run --psf</c>); null: each exposure's own.
    /// </summary>
    public string? Psf { get; init; }

    /// <summary>
    /// The mapper's auxiliary inputs of each exposure, by name: a pattern per input (<see cref="NightAuxiliary"/>:
    /// <c>container/name</c> with <c>{name}</c>, <c>{dir}</c>, <c>{file}</c>, <c>{stem}</c> from the exposure's name), normalised
    /// by <see cref="Validate"/>; null when the mapper takes none. Each exposure's plan pins the blobs' versions.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Auxiliary { get; init; }

    /// <summary>
    /// How each exposure is split into activities (<see cref="Reduction.ExposureFlow"/>); default <c>auto</c>: one
    /// <c>ReduceExposureWhole</c> activity called by the batch itself where the exposure fits the activity memory budget,
    /// else a tiled <c>ReduceExposure</c> sub-orchestration. It changes no output byte, so it is not part of the night's id.
    /// </summary>
    public Reduction.ExposureFlow Flow { get; init; } = Reduction.ExposureFlow.Auto;

    /// <summary>Reduce every exposure even when its output already exists from the same run inputs (default: skip those, so a rerun resumes).</summary>
    public bool Force { get; init; }

    /// <summary>Purge each exposure's orchestration instance from the task hub once the night report records it (default true).</summary>
    public bool PurgeExposures { get; init; } = true;

    /// <summary>Where the night's loop stands (set by the night itself when it continues as new); null when submitted.</summary>
    public NightCursor? Cursor { get; init; }

    /// <summary>
    /// Throws unless the request fits the night's budgets: a positive tile size and concurrency, a batch size within
    /// 1 … <see cref="NightLimits.MaxBatchSize"/>, and a configuration no longer than <see cref="NightLimits.MaxConfigBytes"/>
    /// (it travels in every exposure's orchestration input, which must stay within <see cref="NightLimits.MaxPayloadBytes"/>),
    /// and auxiliary patterns that follow <see cref="NightAuxiliary"/>'s rules. Returns the request with its patterns normalised.
    /// </summary>
    /// <exception cref="ArgumentException">Which field, and why.</exception>
    public NightRequest Validate()
    {
        IReadOnlyDictionary<string, string>? auxiliary = NightAuxiliary.Validate(Auxiliary);
        if (TileSize < 1) throw new ArgumentException($"tileSize must be ≥ 1, got {TileSize}", nameof(TileSize));
        if (MaxConcurrentExposures is < 1 or > NightLimits.MaxConcurrentExposures)
            throw new ArgumentException($"maxConcurrentExposures must be 1 to {NightLimits.MaxConcurrentExposures}, got {MaxConcurrentExposures}", nameof(MaxConcurrentExposures));
        if (BatchSize is < 1 or > NightLimits.MaxBatchSize)
            throw new ArgumentException($"batchSize must be 1 to {NightLimits.MaxBatchSize}, got {BatchSize}", nameof(BatchSize));
        if (Config is null) throw new ArgumentException("a night needs a configuration", nameof(Config));
        if (!Enum.IsDefined(Flow)) throw new ArgumentException($"flow must be auto, whole or tiled, got {Flow}", nameof(Flow));
        int configBytes = ConfigBytes(Config);
        if (configBytes > NightLimits.MaxConfigBytes)
            throw new ArgumentException($"the configuration is {configBytes} bytes; a night's configuration may hold at most {NightLimits.MaxConfigBytes} " +
                "(it travels in every exposure's orchestration input)", nameof(Config));
        return Auxiliary is null ? this : this with { Auxiliary = auxiliary };
    }

    /// <summary>The size of <paramref name="config"/> in its JSON form, as it travels in every exposure's orchestration input.</summary>
    public static int ConfigBytes(MapReduceConfig config) => System.Text.Encoding.UTF8.GetByteCount(ConfigJson.Serialize(config));
}
