namespace ImageReducer.Cli.Rendering;

/// <summary>How pixel values become grey levels.</summary>
internal enum StretchKind
{
    /// <summary>Linear between the IRAF zscale limits (sky detail, stars saturate).</summary>
    Zscale,
    /// <summary>asinh between the zscale lower limit and the 99.9th percentile (sky and star cores both visible).</summary>
    Asinh,
    /// <summary>Linear between the minimum and the maximum finite value.</summary>
    Linear,
}
