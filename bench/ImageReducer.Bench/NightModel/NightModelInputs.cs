using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ImageReducer.Bench.NightModel;

/// <summary>
/// What the Rubin-night model takes from measurement and from the platform's limits, read from one file
/// (<c>night-model-inputs.json</c> beside this class), so a re-measurement updates the prediction.
/// </summary>
public sealed record NightModelInputs
{
    /// <summary>Exposures in the night (a Rubin night: ~1,000 visits × 189 CCDs).</summary>
    public int Exposures { get; init; } = 189_000;
    /// <summary>MapTile activities per exposure.</summary>
    public int TilesPerExposure { get; init; } = 4;
    /// <summary>Seconds of one Plan activity.</summary>
    public double PlanSeconds { get; init; }
    /// <summary>Seconds of one MapTile activity.</summary>
    public double MapTileSeconds { get; init; }
    /// <summary>Seconds of one Reduce activity.</summary>
    public double ReduceSeconds { get; init; }
    /// <summary>Peak memory of one activity (MiB).</summary>
    public double ActivityPeakMiB { get; init; }
    /// <summary>Work items (activities and orchestration episodes) the backend dispatches per second.</summary>
    public double DispatchPerSecond { get; init; }
    /// <summary>Orchestration episodes per exposure (its own and its share of the batch's).</summary>
    public double OrchestrationEpisodesPerExposure { get; init; }
    /// <summary>
    /// Episodes that start one exposure before its first activity: 1 when the exposure is a sub-orchestration of its own (the
    /// tiled flow), 0 when the batch calls its one activity directly (the whole flow: the batch's episodes, which schedule
    /// it, are in <see cref="OrchestrationEpisodesPerExposure"/>).
    /// </summary>
    public double StartEpisodesPerExposure { get; init; } = 1;

    /// <summary>Memory of one instance (GB), what it is billed by.</summary>
    public double InstanceMemoryGB { get; init; } = 2;
    /// <summary>vCPUs of one instance.</summary>
    public int InstanceVcpu { get; init; } = 1;
    /// <summary>Activities one instance runs at once.</summary>
    public int ActivitiesPerInstance { get; init; } = 1;
    /// <summary>Most instances of one app.</summary>
    public int MaxInstances { get; init; } = 1000;
    /// <summary>vCPU quota of the region (instances × vCPU may not pass it).</summary>
    public int RegionalCoreQuota { get; init; } = 250;
    /// <summary>Seconds before a new instance takes work.</summary>
    public double InstanceStartSeconds { get; init; }
    /// <summary>Price of a GB-second of instance memory.</summary>
    public double PricePerGBSecond { get; init; }
    /// <summary>Price of a million executions.</summary>
    public double PricePerMillionExecutions { get; init; }
    /// <summary>The design goal's wall time (minutes).</summary>
    public double GoalWallMinutes { get; init; } = 15;
    /// <summary>The design goal's compute cost (dollars).</summary>
    public double GoalCostDollars { get; init; } = 10;

    /// <summary>Activity seconds one exposure needs: plan + its tiles + reduce.</summary>
    public double ActivitySecondsPerExposure => PlanSeconds + TilesPerExposure * MapTileSeconds + ReduceSeconds;

    /// <summary>Reads the inputs file (fields with a leading underscore are notes and are ignored).</summary>
    /// <param name="path">The inputs file.</param>
    /// <param name="overrides"><c>NAME=VALUE</c> pairs (VALUE as JSON) replacing fields of the file: a design variant.</param>
    /// <exception cref="InvalidDataException">The file is not a valid inputs document, or an override names no field, naming why.</exception>
    public static NightModelInputs Load(string path, IReadOnlyList<string>? overrides = null)
    {
        try
        {
            var document = JsonNode.Parse(File.ReadAllBytes(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new JsonException("the document is not an object");
            foreach (string set in overrides ?? [])
            {
                // NAME=VALUE, VALUE a JSON value: a design variant of the same measured inputs (night-model --set).
                int equals = set.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0) throw new ArgumentException($"--set '{set}': expected NAME=VALUE");
                string name = set[..equals];
                if (!document.ContainsKey(name)) throw new ArgumentException($"--set '{set}': the inputs have no '{name}'");
                document[name] = JsonNode.Parse(set[(equals + 1)..]);
            }
            return (document.Deserialize<NightModelInputs>(Options) ?? throw new JsonException("the document is null")).Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The inputs file shipped beside the bench.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "night-model-inputs.json");

    /// <summary>Throws unless every input is in range.</summary>
    public NightModelInputs Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Exposures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TilesPerExposure);
        ArgumentOutOfRangeException.ThrowIfNegative(PlanSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MapTileSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(ReduceSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DispatchPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(OrchestrationEpisodesPerExposure);
        ArgumentOutOfRangeException.ThrowIfNegative(StartEpisodesPerExposure);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(InstanceMemoryGB);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(InstanceVcpu);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ActivitiesPerInstance);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(RegionalCoreQuota);
        ArgumentOutOfRangeException.ThrowIfNegative(InstanceStartSeconds);
        if (ActivityPeakMiB * ActivitiesPerInstance > InstanceMemoryGB * 1024)
            throw new ArgumentException($"{ActivitiesPerInstance} activities of {ActivityPeakMiB} MiB do not fit a {InstanceMemoryGB} GB instance");
        return this;
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };
}
