using System.CommandLine;
using ImageReducer.Cli.Errors;

namespace ImageReducer.Cli.Commands;

/// <summary>
/// Rows per tile, one name everywhere: <c>--tile-size ROWS</c> on <c>run</c>, <c>submit</c> and <c>night</c>, <c>tileSize</c> in the
/// HTTP body and the workflow's request, <c>ImageReducer__TileSize</c> in the app's settings.
/// </summary>
internal static class TileSizeOption
{
    /// <summary>The option's name.</summary>
    public const string Name = "--tile-size";

    /// <summary>A new <c>--tile-size</c> option described by <paramref name="description"/>.</summary>
    public static Option<int?> Create(string description) => new(Name) { Description = description, HelpName = "ROWS" };

    /// <summary>The value of <paramref name="option"/>, checked (≥ 1 row), or null when not given.</summary>
    /// <exception cref="UsageException">Fewer than one row.</exception>
    public static int? Load(ParseResult parse, Option<int?> option) =>
        parse.GetValue(option) is int rows && rows < 1 ? throw new UsageException($"{Name} must be >= 1 row, got {rows}") : parse.GetValue(option);
}
