using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Workflow.Security;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Options;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Workflow.Api;

/// <summary>
/// Turns API bodies into workflow requests, collecting every problem (field → message) rather than
/// stopping at the first. Blob addresses pass the <see cref="BlobAccessPolicy"/> (allowed containers,
/// no traversal, no other account).
/// </summary>
/// <param name="options">The app's settings.</param>
/// <param name="mappers">The mappers a configuration may name.</param>
/// <param name="policy">The access policy; by default the settings' containers and no account URL (so no https URLs).</param>
public sealed class RequestValidator(IOptions<ImageReducerOptions> options, MapperRegistry mappers, BlobAccessPolicy? policy = null)
{
    private readonly BlobAccessPolicy policy = policy ?? new BlobAccessPolicy(options.Value, accountUrl: null);

    /// <summary>Largest tile size accepted from a request.</summary>
    public const int MaxTileSize = 1 << 20;

    /// <summary>A reduction request, or the problems.</summary>
    public (ReductionRequest? Request, Dictionary<string, string[]> Errors) Validate(ReductionBody? body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body is null) return (null, Error(errors, "(body)", "the body must be a JSON object with at least \"input\""));
        ImageReducerOptions o = options.Value;
        BlobPath? input = Path(body.Input, "input", errors, required: true, policy.Input);
        MapReduceConfig? config = Config(body.Config, errors);
        int tileSize = TileSize(body.TileSize, errors);
        BlobPath? output = body.Output is null ? null : Path(body.Output, "output", errors, required: true, policy.Output);
        var auxiliary = new Dictionary<string, BlobPath>(StringComparer.Ordinal);
        foreach (var (name, text) in body.Auxiliary ?? new Dictionary<string, string>())
            if (Path(text, $"auxiliary.{name}", errors, required: true, policy.Input) is { } path) auxiliary[name] = path;
        if (config is not null) Auxiliary(config, auxiliary.Keys, errors);
        string? psf = Psf(body.Psf, errors);
        ExposureFlow flow = Flow(body.Flow, o.ExposureFlow, errors);
        if (errors.Count > 0 || input is null || config is null) return (null, errors);
        output ??= ReductionNames.OutputFor(input, o.OutputContainer, "", Reducers.Create(config.Reducer));
        if (output == input) return (null, Error(errors, "output", "the output must not be the input"));
        if (auxiliary.ContainsValue(output)) return (null, Error(errors, "output", "the output must not be an auxiliary input"));
        return (new ReductionRequest(input, output, config, tileSize) { Auxiliary = auxiliary.Count > 0 ? auxiliary : null, Psf = psf, Flow = flow }, errors);
    }

    /// <summary>A PSF spec (the syntax of <c>imred run --psf</c>), its kernel blob passing the policy as an input does.</summary>
    private string? Psf(string? spec, Dictionary<string, string[]> errors)
    {
        if (spec is null) return null;
        try
        {
            Engine.PointSpread.PsfSpec parsed = RunPsf.Validate(spec);
            if (parsed.KernelSource is { } kernel) policy.Input(kernel);
            return parsed.Text;
        }
        catch (Exception e) when (e is ConfigValidationException or ArgumentException or BlobAccessRefusedException)
        {
            Error(errors, Engine.PointSpread.PsfSpec.Field, e.Message);
            return null;
        }
    }

    /// <summary>A night request, or the problems.</summary>
    public (NightRequest? Request, Dictionary<string, string[]> Errors) Validate(NightBody? body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body is null) return (null, Error(errors, "(body)", "the body must be a JSON object with at least \"prefix\""));
        ImageReducerOptions o = options.Value;
        string container = Container(body.Container ?? o.IncomingContainer, "container", errors, policy.InputContainer);
        string outputContainer = Container(body.OutputContainer ?? o.OutputContainer, "outputContainer", errors, policy.OutputContainer);
        string? prefix = Prefix(body.Prefix, "prefix", errors, required: true, output: false);
        string? outputPrefix = Prefix(body.OutputPrefix ?? body.Prefix, "outputPrefix", errors, required: false, output: true);
        MapReduceConfig? config = Config(body.Config, errors);
        int tileSize = TileSize(body.TileSize, errors);
        int concurrency = body.MaxConcurrentExposures ?? 4;
        if (concurrency is < 1 or > NightLimits.MaxConcurrentExposures)
            Error(errors, "maxConcurrentExposures", $"must be 1 to {NightLimits.MaxConcurrentExposures}, got {concurrency}");
        int batchSize = body.BatchSize ?? NightLimits.MaxBatchSize;
        if (batchSize is < 1 or > NightLimits.MaxBatchSize) Error(errors, "batchSize", $"must be 1 to {NightLimits.MaxBatchSize}, got {batchSize}");
        if (config is not null && NightRequest.ConfigBytes(config) is var configBytes && configBytes > NightLimits.MaxConfigBytes)
            Error(errors, "config", $"is {configBytes} bytes; a night's configuration may hold at most {NightLimits.MaxConfigBytes} (it travels with every exposure)");
        string? psf = Psf(body.Psf, errors);
        IReadOnlyDictionary<string, string>? auxiliary = NightAuxiliaryPatterns(body.Auxiliary, config, errors);
        ExposureFlow flow = Flow(body.Flow, o.NightExposureFlow, errors);
        if (errors.Count > 0 || prefix is null || config is null) return (null, errors);
        return (new NightRequest(container, prefix, outputContainer, outputPrefix ?? "", config, tileSize, concurrency)
        {
            Psf = psf, BatchSize = batchSize, Flow = flow, Force = body.Force ?? false, PurgeExposures = body.PurgeExposures ?? true, Auxiliary = auxiliary,
        }.Validate(), errors);
    }

    private static BlobPath? Path(string? text, string field, Dictionary<string, string[]> errors, bool required, Func<string, BlobPath> check)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) Error(errors, field, "is required: 'container/name' or 'az://container/name'");
            return null;
        }
        try
        {
            return check(text.Trim());
        }
        catch (Exception e) when (e is ArgumentException or BlobAccessRefusedException)
        {
            Error(errors, field, e.Message);
            return null;
        }
    }

    private static string Container(string name, string field, Dictionary<string, string[]> errors, Func<string, string> check)
    {
        try
        {
            check(name);
        }
        catch (Exception e) when (e is ArgumentException or BlobAccessRefusedException)
        {
            Error(errors, field, e.Message);
        }
        return name;
    }

    private string? Prefix(string? prefix, string field, Dictionary<string, string[]> errors, bool required, bool output)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            if (required) Error(errors, field, "is required (a name prefix such as '2026-11-24/')");
            return prefix;
        }
        try
        {
            return policy.Prefix(prefix, output);
        }
        catch (Exception e) when (e is ArgumentException or BlobAccessRefusedException)
        {
            Error(errors, field, e.Message);
            return null;
        }
    }

    /// <summary>The request's configuration (or the app's default), validated once with its mapper's options; null after recording the problem.</summary>
    private MapReduceConfig? Config(JsonElement? config, Dictionary<string, string[]> errors)
    {
        try
        {
            MapReduceConfig parsed = config is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } element
                ? ConfigJson.Deserialize(element.GetRawText())
                : DefaultConfig();
            mappers.BindOptions(parsed.Mapper);
            return parsed;
        }
        catch (ConfigValidationException e)
        {
            Error(errors, "config." + e.Field, e.Message);
            return null;
        }
    }

    /// <summary>
    /// A night's per-exposure auxiliary patterns: <see cref="NightAuxiliary"/>'s rules, each pattern's container one the
    /// app reads inputs from, and the names the configured mapper's (as for a reduction).
    /// </summary>
    private IReadOnlyDictionary<string, string>? NightAuxiliaryPatterns(IReadOnlyDictionary<string, string>? given, MapReduceConfig? config,
        Dictionary<string, string[]> errors)
    {
        IReadOnlyDictionary<string, string>? patterns;
        try
        {
            patterns = NightAuxiliary.Validate(given);
        }
        catch (AuxiliaryPatternException e)
        {
            Error(errors, e.Field, e.Reason);
            return null;
        }
        foreach (var (name, pattern) in patterns ?? new Dictionary<string, string>())
            Container(pattern[..pattern.IndexOf('/')], $"auxiliary.{name}", errors, policy.InputContainer);
        if (config is not null) Auxiliary(config, patterns?.Keys ?? [], errors);
        return patterns;
    }

    /// <summary>Checks the auxiliary names against what the configured mapper declares (missing or unknown names, before any blob is read).</summary>
    private void Auxiliary(MapReduceConfig config, IEnumerable<string> names, Dictionary<string, string[]> errors)
    {
        try
        {
            IMapper mapper = mappers.Create(config.Mapper);
            IReadOnlyList<AuxiliaryInput> declared = mapper.AuxiliaryInputs;
            AuxiliaryData.CheckNames(AuxiliaryData.NameOf(mapper), declared,
                names.ToDictionary(n => n, n => declared.FirstOrDefault(d => d.Name == n)?.Kind ?? AuxiliaryKind.Exposure, StringComparer.Ordinal));
        }
        catch (AuxiliaryInputException e)
        {
            Error(errors, "auxiliary" + (e.Input.Length > 0 ? "." + e.Input : ""), e.Message);
        }
    }

    private MapReduceConfig DefaultConfig() => options.Value.DefaultConfig();

    /// <summary>The <c>flow</c> field: <c>auto</c>, <c>whole</c> or <c>tiled</c> (exactly, lower case), else <paramref name="fallback"/> when absent.</summary>
    private static ExposureFlow Flow(string? text, ExposureFlow fallback, Dictionary<string, string[]> errors)
    {
        if (text is null) return fallback;
        foreach (ExposureFlow flow in Enum.GetValues<ExposureFlow>())
            if (string.Equals(text, FlowName(flow), StringComparison.Ordinal)) return flow;
        Error(errors, "flow", $"must be auto, whole or tiled, got '{text}'");
        return fallback;
    }

    /// <summary>The JSON and command-line name of <paramref name="flow"/> (<c>auto</c>, <c>whole</c>, <c>tiled</c>).</summary>
    public static string FlowName(ExposureFlow flow) => flow.ToString().ToLowerInvariant();

    private int TileSize(int? tileSize, Dictionary<string, string[]> errors)
    {
        int value = tileSize ?? options.Value.TileSize;
        if (value is < 1 or > MaxTileSize) Error(errors, "tileSize", $"must be 1 to {MaxTileSize} rows, got {value}");
        return value;
    }

    private static Dictionary<string, string[]> Error(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        return errors;
    }
}
