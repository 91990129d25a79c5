namespace ImageReducer.Cli.Inspection;

/// <summary>The celestial WCS in brief.</summary>
internal sealed record WcsSummary(string[] Ctype, double[]? Crval, double[]? Crpix, double? PixelScaleArcsec, int Cards);
