using ImageReducer.Cli.Output;

namespace ImageReducer.Cli.Running;

/// <summary>Converts the engine's overlap statistics into the metadata's <c>overlap</c> object.</summary>
internal static class Overlap
{
    public static OverlapStatistics? From(Engine.Reducing.OverlapStatistics? s) =>
        s is null ? null : new OverlapStatistics(s.MaxCount, s.MeanCount, s.MinCount, s.ZeroCountPixels, s.ZeroCountPercent);
}
