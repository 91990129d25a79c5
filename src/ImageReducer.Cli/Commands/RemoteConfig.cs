using System.CommandLine;
using System.Text.Json;
using ImageReducer.Cli.Config;
using ImageReducer.Cli.Errors;
using ImageReducer.Engine.Config;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Cli.Commands;

/// <summary>
/// The request pieces <c>submit</c> and <c>night</c> share: <c>--config</c>/<c>--set</c> (resolved and validated here, as for
/// <c>imred run</c>, so a typo fails before any request) and <c>--tile-size</c>.
/// </summary>
internal sealed class RemoteConfig
{
    private readonly ConfigOptions config = new();

    public Option<int?> TileSize { get; } = TileSizeOption.Create("Rows per tile (one MapTile activity each); default the app's ImageReducer__TileSize");

    /// <summary>Adds --config, --set and --tile-size to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(config.Config);
        command.Add(config.Set);
        command.Add(TileSize);
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
}
