using System.ComponentModel;
using ImageReducer.Engine.Config;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// Options of <see cref="DecorrelateALMapper"/>: LSST's <c>DecorrelateALKernelConfig</c> fields and the
/// <c>templateMatched</c> argument its spatially varying task passes to every cell.
/// </summary>
public sealed record DecorrelateALMapperOptions : IMapperOptions
{
    /// <summary>The options' JSON form (<see cref="MapperOptionsForm"/>).</summary>
    internal static MapperOptionsForm JsonForm { get; } = MapperOptionsForm.Of<DecorrelateALMapperOptions>(
        JsonFields.Strings<DecorrelateALMapperOptions>(nameof(IgnoreMaskPlanes), o => o.IgnoreMaskPlanes, (o, v) => o with { IgnoreMaskPlanes = v! }, acceptsNull: false),
        JsonFields.Bool<DecorrelateALMapperOptions>(nameof(CompleteVarPlanePropagation), o => o.CompleteVarPlanePropagation, (o, v) => o with { CompleteVarPlanePropagation = v }),
        JsonFields.Bool<DecorrelateALMapperOptions>(nameof(TemplateMatched), o => o.TemplateMatched, (o, v) => o with { TemplateMatched = v }));

    /// <summary>The reference's default <c>ignoreMaskPlanes</c>.</summary>
    public static IReadOnlyList<string> DefaultIgnoreMaskPlanes { get; } =
        ["INTRP", "EDGE", "DETECTED", "SAT", "CR", "BAD", "NO_DATA", "DETECTED_NEGATIVE"];

    /// <summary>Mask planes left out of the sigma-clipped variance means (planes a mask does not define are skipped).</summary>
    [Description("Mask planes to ignore for the sigma-clipped variance means.")]
    public IReadOnlyList<string> IgnoreMaskPlanes { get; init; } = DefaultIgnoreMaskPlanes;

    /// <summary>
    /// Propagate the variance planes through the whole correction (two more FFT convolutions per plane); otherwise
    /// (the reference's default) the variance is the inputs' variance planes weighted by the correction's power.
    /// </summary>
    [Description("Compute the full effect of the decorrelation kernel on the variance plane (else a weighted sum of the input variances).")]
    public bool CompleteVarPlanePropagation { get; init; }

    /// <summary>
    /// The template was convolved with the matching kernel (the usual A&amp;L subtraction); false when the science image
    /// was, which swaps the roles of the two variances and PSFs and rescales the variance by the kernel sum squared.
    /// </summary>
    [Description("The template (true) or the science image (false) was convolved with the matching kernel.")]
    public bool TemplateMatched { get; init; } = true;

    /// <inheritdoc/>
    public void Validate()
    {
        DiffimCell.ValidateIgnoreMaskPlanes(IgnoreMaskPlanes);
    }

    public bool Equals(DecorrelateALMapperOptions? other) => other is not null && TemplateMatched == other.TemplateMatched &&
        CompleteVarPlanePropagation == other.CompleteVarPlanePropagation && IgnoreMaskPlanes.SequenceEqual(other.IgnoreMaskPlanes);

    public override int GetHashCode() => HashCode.Combine(TemplateMatched, CompleteVarPlanePropagation, IgnoreMaskPlanes.Count);
}
