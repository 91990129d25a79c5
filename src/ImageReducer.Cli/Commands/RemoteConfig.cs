using System.CommandLine;
using System.Text.Json;
using ImageReducer.Cli.Config;
using ImageReducer.Cli.Errors;
using ImageReducer.Engine.Config;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Cli.Commands;

/// <summary>
/// The request pieces <c>submit</c> and <c>night</c> share: <c>--config</c>/<c>--set</c> (resolved and validated here, as for
/// <c>imred run</c>, so a typo fails before any request), <c>--tile-size</c> and <c>--psf</c>.
/// </summary>
internal sealed class RemoteConfig
{
    private readonly ConfigOptions config = new();

    public Option<int?> TileSize { get; } = TileSizeOption.Create("Rows per tile (one MapTile activity each); default the app's ImageReducer__TileSize");

    public Option<string?> Psf { get; } = new("--psf")
    {
        Description = "PSF to use when an input has none (or to override it), as imred run --psf takes it; a kernel is a blob of the app's storage: " +
                      "gaussian:sigma=S[,...] | double-gaussian:sigma1=S1[,...] | kernel:az://container/name.fits",
        HelpName = "SPEC",
    };

    public Option<string?> Flow { get; } = CreateFlow();

    /// <summary>Adds --config, --set, --tile-size, --psf and --flow to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(config.Config);
        command.Add(config.Set);
        command.Add(TileSize);
        command.Add(Psf);
        command.Add(Flow);
    }

    private static Option<string?> CreateFlow()
    {
        var flow = new Option<string?>("--flow")
        {
            Description = "How each exposure is split into activities: auto (one activity where it fits the app's ImageReducer__WholeExposureMemoryBytes, " +
                          "else tiled), whole (one activity) or tiled (plan, tiles, reduce); default the app's ImageReducer__ExposureFlow " +
                          "(submit: tiled) or ImageReducer__NightExposureFlow (night: auto). Same output bytes whatever the flow",
            HelpName = "auto|whole|tiled",
        };
        flow.AcceptOnlyFromAmong("auto", "whole", "tiled");
        return flow;
    }

    /// <summary>--psf, checked as the API will check it (a malformed spec or a local kernel file fails before any request).</summary>
    public string? LoadPsf(ParseResult parse)
    {
        if (parse.GetValue(Psf) is not string spec) return null;
        try
        {
            return ImageReducer.Workflow.Reduction.RunPsf.Validate(spec).Text;
        }
        catch (ConfigValidationException e)
        {
            throw new UsageException("--psf " + e.Message, e);
        }
    }

    /// <summary>The configuration object to send, or null when neither --config nor --set is given (the app's default applies).</summary>
    public JsonElement? Load(ParseResult parse)
    {
        if (parse.GetValue(config.Config) is null && (parse.GetValue(config.Set) ?? []).Length == 0) return null;
        MapReduceConfig cfg = config.LoadConfig(parse);
        using JsonDocument document = JsonDocument.Parse(ConfigJson.Serialize(cfg));
        return document.RootElement.Clone();
    }

    /// <summary>--tile-size, checked.</summary>
    public int? LoadTileSize(ParseResult parse) => TileSizeOption.Load(parse, TileSize);

    /// <summary>A blob path argument, checked as the API will check it.</summary>
    public static string BlobArgument(string name, string text)
    {
        try
        {
            return BlobPath.Parse(text.Trim()).ToString();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new UsageException($"{name} '{text}': {e.Message}");
        }
    }

    /// <summary>
    /// Repeated <c>--aux NAME=VALUE</c> options as a dictionary (null when none), each value through <paramref name="check"/>
    /// (a blob for <c>submit</c>, a pattern for <c>night</c>), which returns its normal form or throws a usage error.
    /// </summary>
    public static Dictionary<string, string>? AuxiliaryArguments(IEnumerable<string> values, string example, Func<string, string, string> check)
    {
        var auxiliary = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            int eq = value.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? "" : value[..eq].Trim(), text = eq < 0 ? "" : value[(eq + 1)..].Trim();
            if (name.Length == 0 || text.Length == 0) throw new UsageException($"--aux '{value}': expected {example}");
            if (!auxiliary.TryAdd(name, check(name, text))) throw new UsageException($"--aux {name} is given twice");
        }
        return auxiliary.Count > 0 ? auxiliary : null;
    }
}
