namespace ImageReducer.Cli.Inspection;

/// <summary>A mask plane, its bit and how many pixels have it set.</summary>
internal sealed record MaskPlaneSummary(string Name, int Bit, long Pixels);
