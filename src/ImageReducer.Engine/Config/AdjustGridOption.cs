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

/// <summary>What the reducer does with the mapper results (the reference's <c>reduceOperation</c>).</summary>
public enum ReduceOperation
{
    /// <summary><c>none</c>: return the list of mapper results.</summary>
    None,
    /// <summary><c>copy</c>: stitch; valid pixels overwrite, later cells win.</summary>
    Copy,
    /// <summary><c>sum</c>: stitch; valid pixels are added.</summary>
    Sum,
    /// <summary><c>average</c>: stitch; valid pixels are averaged over their contributions.</summary>
    Average,
    /// <summary><c>coaddPsf</c>: combine the results' PSFs into one CoaddPsf.</summary>
    CoaddPsf,
}
