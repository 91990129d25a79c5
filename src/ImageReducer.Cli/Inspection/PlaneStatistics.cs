namespace ImageReducer.Cli.Inspection;

/// <summary>Basic statistics of the finite pixels of a plane (median exact up to a 1 000 000-pixel regular sample).</summary>
internal sealed record PlaneStatistics(long Pixels, long NonFinite, double? Min, double? Max, double? Mean, double? Median, double? StdDev);
