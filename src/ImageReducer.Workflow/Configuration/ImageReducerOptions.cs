using ImageReducer.Workflow.Reduction;

namespace ImageReducer.Workflow.Configuration;

/// <summary>
/// The app's settings, bound from the <c>ImageReducer</c> section (app settings
/// <c>ImageReducer__IncomingContainer</c> …, see infra/README.md) and validated at startup.
/// </summary>
public sealed class ImageReducerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "ImageReducer";

    /// <summary>Container watched by the blob trigger.</summary>
    public string IncomingContainer { get; set; } = "incoming";

    /// <summary>Container outputs are written to.</summary>
    public string OutputContainer { get; set; } = "outputs";

    /// <summary>Container rejected inputs are copied to.</summary>
    public string QuarantineContainer { get; set; } = "quarantine";

    /// <summary>
    /// Further containers that HTTP requests may name as inputs, comma-separated (the incoming
    /// container always may); app setting <c>ImageReducer__InputContainers</c>.
    /// </summary>
    public string InputContainers { get; set; } = "";

    /// <summary>
    /// Further containers that HTTP requests may name as outputs, comma-separated (the output
    /// container always may); app setting <c>ImageReducer__OutputContainers</c>.
    /// </summary>
    public string OutputContainers { get; set; } = "";

    /// <summary>Largest exposure accepted, in pixels.</summary>
    public long MaxPixels { get; set; } = WorkflowLimits.Default.MaxPixels;

    /// <summary>Largest grid accepted, in cells.</summary>
    public int MaxCells { get; set; } = WorkflowLimits.Default.MaxCells;

    /// <summary>Most tiles per exposure.</summary>
    public int MaxTiles { get; set; } = WorkflowLimits.Default.MaxTiles;

    /// <summary>Rows per tile when a request does not say.</summary>
    public int TileSize { get; set; } = 1024;

    /// <summary>
    /// How a single reduction (the HTTP API, the blob trigger) is split into activities when its request does not say
    /// (app setting <c>ImageReducer__ExposureFlow</c>: <c>tiled</c>, <c>whole</c> or <c>auto</c>; default tiled, whose tiles run in
    /// parallel on many instances for the shortest wall time of one exposure).
    /// </summary>
    public ExposureFlow ExposureFlow { get; set; } = ExposureFlow.Tiled;

    /// <summary>
    /// How a night's exposures are split into activities when the night's request does not say (app setting
    /// <c>ImageReducer__NightExposureFlow</c>; default <c>auto</c>: one activity per exposure where it fits
    /// <see cref="WholeExposureMemoryBytes"/>, the night's main cost lever, docs/night-scale.md).
    /// </summary>
    public ExposureFlow NightExposureFlow { get; set; } = ExposureFlow.Auto;

    /// <summary>
    /// The memory one whole-exposure activity may use, in bytes (app setting <c>ImageReducer__WholeExposureMemoryBytes</c>,
    /// default 1 GiB): an <see cref="ExposureFlow.Auto"/> exposure whose estimate
    /// (<see cref="ExposureFlowPolicy.EstimatedBytes"/>) is larger is reduced tiled. Size it as instance memory divided by
    /// the activities an instance runs at once.
    /// </summary>
    public long WholeExposureMemoryBytes { get; set; } = ExposureFlowPolicy.DefaultMemoryBudgetBytes;

    /// <summary>Cell workers inside one MapTile activity (−1: all cores of the instance).</summary>
    public int CellParallelism { get; set; } = -1;

    /// <summary>
    /// The name endings of exposures, comma-separated, compared case-insensitively (app setting
    /// <c>ImageReducer__ExposureSuffixes</c>): the blob trigger starts reductions only for such blobs and logs and ignores
    /// the others (a <c>.json</c> sidecar, a <c>.txt</c> log…), and a night lists only them. At most
    /// <see cref="MaxExposureSuffixes"/>, each starting with '.'; infra/ filters the Event Grid subscription on the same list.
    /// Tile-compressed <c>.fits.fz</c> is not among the defaults: the engine does not read compressed images.
    /// </summary>
    public string ExposureSuffixes { get; set; } = ".fits,.fit";

    /// <summary>Most suffixes in <see cref="ExposureSuffixes"/>: the Event Grid <c>StringEndsWith</c> filter takes at most 25 values.</summary>
    public const int MaxExposureSuffixes = 25;

    /// <summary>True when <paramref name="name"/> ends with one of <see cref="ExposureSuffixes"/> (and is more than the suffix).</summary>
    public bool IsExposureName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (string suffix in Split(ExposureSuffixes))
        {
            // "dir/.fits" is a hidden file, not an exposure called ".fits".
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && name[^(suffix.Length + 1)] != '/')
                return true;
        }
        return false;
    }

    /// <summary>Configuration used for blob-triggered reductions (JSON); the engine defaults when empty.</summary>
    public string DefaultConfigJson { get; set; } = "";

    // DefaultConfigJson parsed, with the text it was parsed from (one reference, so a reader never sees half an update).
    private sealed record ParsedDefault(string Json, Engine.Config.MapReduceConfig Config);
    private ParsedDefault? parsedDefault;

    /// <summary>
    /// <see cref="DefaultConfigJson"/> parsed and validated, once per value (the settings are bound at startup), so a
    /// triggered run or a request without a configuration does not parse it again.
    /// </summary>
    /// <exception cref="Engine.Config.ConfigValidationException">The setting is not a valid configuration.</exception>
    public Engine.Config.MapReduceConfig DefaultConfig()
    {
        string json = DefaultConfigJson ?? "";
        if (parsedDefault is { } cached && string.Equals(cached.Json, json, StringComparison.Ordinal)) return cached.Config;
        Engine.Config.MapReduceConfig config = string.IsNullOrWhiteSpace(json) ? new Engine.Config.MapReduceConfig() : Engine.Config.ConfigJson.Deserialize(json);
        parsedDefault = new ParsedDefault(json, config);
        return config;
    }

    /// <summary>The incoming container and the further input containers.</summary>
    public IReadOnlyList<string> AllInputContainers() => [IncomingContainer, .. Split(InputContainers)];

    /// <summary>The output container and the further output containers.</summary>
    public IReadOnlyList<string> AllOutputContainers() => [OutputContainer, .. Split(OutputContainers)];

    /// <summary>The limits for the workflow steps.</summary>
    public WorkflowLimits ToLimits() => new() { MaxPixels = MaxPixels, MaxCells = MaxCells, MaxTiles = MaxTiles };

    /// <summary>Every problem with the settings, one message each (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[] { ("IncomingContainer", IncomingContainer), ("OutputContainer", OutputContainer), ("QuarantineContainer", QuarantineContainer) })
        {
            try
            {
                Workflow.Storage.BlobPath.ValidateContainer(value);
            }
            catch (ArgumentException e)
            {
                problems.Add($"ImageReducer__{name}: {e.Message}");
            }
        }
        foreach (var (name, list) in new[] { ("InputContainers", InputContainers), ("OutputContainers", OutputContainers) })
        {
            foreach (string container in Split(list))
            {
                try
                {
                    Workflow.Storage.BlobPath.ValidateContainer(container);
                }
                catch (ArgumentException e)
                {
                    problems.Add($"ImageReducer__{name}: {e.Message}");
                }
            }
        }
        // Outputs written where inputs are read would be reduced again (the blob trigger watches the
        // incoming container) or overwrite inputs; a quarantined copy there would loop the same way.
        foreach (string both in AllOutputContainers().Intersect(AllInputContainers(), StringComparer.Ordinal))
            problems.Add($"ImageReducer__OutputContainer(s): '{both}' is also an input container; outputs must not go where inputs are read");
        if (AllInputContainers().Contains(QuarantineContainer, StringComparer.Ordinal))
            problems.Add($"ImageReducer__QuarantineContainer: '{QuarantineContainer}' is also an input container; quarantined copies would be reduced again");
        if (AllOutputContainers().Contains(QuarantineContainer, StringComparer.Ordinal))
            problems.Add($"ImageReducer__QuarantineContainer: '{QuarantineContainer}' is also an output container; requests could overwrite quarantined copies");
        if (WholeExposureMemoryBytes <= 0)
            problems.Add($"ImageReducer__WholeExposureMemoryBytes must be > 0 (was {WholeExposureMemoryBytes})");
        foreach (var (name, flow) in new[] { ("ExposureFlow", ExposureFlow), ("NightExposureFlow", NightExposureFlow) })
            if (!Enum.IsDefined(flow)) problems.Add($"ImageReducer__{name}: expected auto, whole or tiled (was {flow})");
        var suffixes = Split(ExposureSuffixes).ToList();
        if (suffixes.Count == 0) problems.Add("ImageReducer__ExposureSuffixes must name at least one suffix, e.g. '.fits,.fit'");
        if (suffixes.Count > MaxExposureSuffixes)
            problems.Add($"ImageReducer__ExposureSuffixes: {suffixes.Count} suffixes; at most {MaxExposureSuffixes} (the Event Grid filter's limit)");
        foreach (string suffix in suffixes)
        {
            if (suffix.Length < 2 || suffix[0] != '.' || suffix.IndexOfAny(['/', '\\', '*', '?']) >= 0 || suffix.Any(char.IsWhiteSpace))
                problems.Add($"ImageReducer__ExposureSuffixes: '{suffix}' is not a name ending such as '.fits' (a '.' then characters other than '/', '\\', '*', '?' and spaces)");
        }
        if (MaxPixels <= 0) problems.Add($"ImageReducer__MaxPixels must be > 0, got {MaxPixels}");
        if (MaxCells <= 0) problems.Add($"ImageReducer__MaxCells must be > 0, got {MaxCells}");
        if (MaxTiles <= 0) problems.Add($"ImageReducer__MaxTiles must be > 0, got {MaxTiles}");
        if (TileSize <= 0) problems.Add($"ImageReducer__TileSize must be > 0, got {TileSize}");
        if (CellParallelism is 0 or < -1) problems.Add($"ImageReducer__CellParallelism must be -1 or > 0, got {CellParallelism}");
        if (!string.IsNullOrWhiteSpace(DefaultConfigJson))
        {
            try
            {
                DefaultConfig();
            }
            catch (Engine.Config.ConfigValidationException e)
            {
                problems.Add($"ImageReducer__DefaultConfigJson: {e.Message}");
            }
        }
        return problems;
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
