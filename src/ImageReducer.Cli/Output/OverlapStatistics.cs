namespace ImageReducer.Cli.Output;

/// <summary>Per-pixel contribution counts of an <c>average</c> (the reference logs the same figures).</summary>
internal sealed record OverlapStatistics(double Max, double Mean, double Min, long ZeroCount, double ZeroPercent);
