namespace ImageReducer.Engine.Config;

/// <summary>How the grid reconciles cell size, grid step and the exposure size (the reference's <c>adjustGridOption</c>).</summary>
public enum AdjustGridOption
{
    /// <summary><c>spacing</c>: keep the cell size; spread W // cellSize + 1 centres evenly (gridStep unused).</summary>
    Spacing,
    /// <summary><c>size</c>: cellSize := gridStep, then + 1 so neighbouring cells touch without gaps.</summary>
    Size,
    /// <summary><c>none</c>: cells of cellSize every gridStep, as given.</summary>
    None,
}
