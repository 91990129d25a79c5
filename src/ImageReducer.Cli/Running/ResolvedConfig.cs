using System.Text.Json.Nodes;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Gridding;

namespace ImageReducer.Cli.Running;

/// <summary>The <c>config</c> section of run metadata: the MapReduceConfig in the reference's camelCase, plus the FWHM and pixel sizes the grid used.</summary>
internal static class ResolvedConfig
{
    public static JsonObject ToJson(MapReduceConfig config, Grid grid)
    {
        var node = JsonNode.Parse(ConfigJson.Serialize(config))!.AsObject();
        node["fwhm"] = grid.Fwhm is double f ? JsonValue.Create(f) : null;
        node["pixelSizes"] = grid.Sizes is { } s
            ? new JsonObject
            {
                ["cellSizeX"] = s.CellSizeX, ["cellSizeY"] = s.CellSizeY,
                ["gridStepX"] = s.GridStepX, ["gridStepY"] = s.GridStepY,
                ["borderSizeX"] = s.BorderSizeX, ["borderSizeY"] = s.BorderSizeY,
            }
            : null;
        return node;
    }
}
