using System.Text.Json.Serialization;
using ImageReducer.Engine.Gridding;

namespace ImageReducer.Cli.Output;

/// <summary><c>imred grid --json</c>: <c>{"fwhm": …, "cells": [{"index": 0, "bbox": […], "expandedBbox": […]}]}</c>.</summary>
/// <remarks><c>fwhm</c> is written as <c>null</c> (not omitted) with explicit centroids: the shape is a contract.</remarks>
internal sealed record GridDocument([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Fwhm, IReadOnlyList<CellEntry> Cells)
{
    public static GridDocument From(Grid grid) =>
        new(grid.Fwhm, grid.Cells.Select((c, i) => new CellEntry(i, c, grid.ExpandedCells[i])).ToArray());
}
