namespace ImageReducer.Cli.Inspection;

/// <summary>The planes of the exposure.</summary>
internal sealed record ExposureSummary(int Width, int Height, int[] Xy0, int[] Bbox, IReadOnlyList<MaskPlaneSummary> MaskPlanes, PlaneStatistics Image, PlaneStatistics Variance);
