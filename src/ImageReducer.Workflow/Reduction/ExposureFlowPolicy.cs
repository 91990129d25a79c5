namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The one place that decides whether an exposure is reduced whole (one activity) or tiled, from its pixel count and the
/// activity memory budget.
/// </summary>
public static class ExposureFlowPolicy
{
    /// <summary>
    /// Peak memory of a whole-exposure activity per input pixel, in bytes: the input file in memory while it is parsed
    /// (12: IMAGE, MASK, VARIANCE at 4 bytes each), the exposure (12), the reduced exposure (12) and its file bytes (12),
    /// which do not all live at once, rounded up for the reducer's accumulators. Checked against the measured peak of a
    /// 4096² LSST exposure (docs/night-scale.md, "One activity per exposure"): 25–28 bytes per pixel for add → average since
    /// copy/sum/average are built in the input's planes and the file is freed once decoded; kept at 40 for mappers with
    /// larger work buffers and the reductions that keep every result.
    /// </summary>
    public const int BytesPerPixel = 40;

    /// <summary>The activity memory budget when the settings do not give one: 1 GiB (three whole activities share a 4 GB instance).</summary>
    public const long DefaultMemoryBudgetBytes = 1L << 30;

    /// <summary>Estimated peak memory of reducing <paramref name="pixels"/> pixels whole.</summary>
    public static long EstimatedBytes(long pixels) => checked(Math.Max(0, pixels) * BytesPerPixel);

    /// <summary>
    /// True when an exposure of <paramref name="pixels"/> pixels is reduced whole under <paramref name="flow"/>:
    /// always for <see cref="ExposureFlow.Whole"/>, never for <see cref="ExposureFlow.Tiled"/>, and for
    /// <see cref="ExposureFlow.Auto"/> when <see cref="EstimatedBytes"/> is within <paramref name="budgetBytes"/>.
    /// </summary>
    public static bool RunsWhole(ExposureFlow flow, long pixels, long budgetBytes) => flow switch
    {
        ExposureFlow.Whole => true,
        ExposureFlow.Tiled => false,
        ExposureFlow.Auto => EstimatedBytes(pixels) <= budgetBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(flow), flow, "unknown exposure flow"),
    };

    /// <summary>True when the flow may run the whole-exposure activity at all (the orchestration tries it first).</summary>
    public static bool TriesWhole(ExposureFlow flow) => flow != ExposureFlow.Tiled;
}
