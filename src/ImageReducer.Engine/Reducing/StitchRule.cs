using ImageReducer.Engine.Config;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// What distinguishes <c>copy</c>, <c>sum</c> and <c>average</c> in a stitching fold (see <see cref="StitchingReduction"/>,
/// <see cref="BandStitching"/> and <see cref="GatherFold"/>, which fold by it).
/// </summary>
/// <param name="Operation">The operation.</param>
/// <param name="StartValue">The reference's initial image and variance value.</param>
/// <param name="DividesByCount">Divide by the count at the end (<c>average</c>).</param>
/// <param name="BuildsCoaddPsf">The output PSF is the CoaddPsf of the results (<c>sum</c>, <c>average</c>).</param>
/// <param name="Overwrites">Valid values overwrite (<c>copy</c>) rather than add.</param>
internal readonly record struct StitchRule(ReduceOperation Operation, float StartValue, bool DividesByCount, bool BuildsCoaddPsf, bool Overwrites)
{
    /// <summary><c>copy</c>: valid pixels of each result overwrite the output (later cells win); the output keeps the input's PSF.</summary>
    public static StitchRule Copy => new(ReduceOperation.Copy, StitchRows.QuietNaN, false, false, true);

    /// <summary><c>sum</c>: valid pixels are added in float32, in cell order; the output PSF is the CoaddPsf of the results.</summary>
    public static StitchRule Sum => new(ReduceOperation.Sum, 0f, false, true, false);

    /// <summary>
    /// <c>average</c>: valid pixels are added in float32, in cell order, then divided by their count (float64 division
    /// written back to float32, as the reference); zero-count pixels become NaN. The output PSF is the CoaddPsf of the results.
    /// </summary>
    public static StitchRule Average => new(ReduceOperation.Average, 0f, true, true, false);

    /// <summary>The rule of a stitching operation.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="operation"/> does not stitch.</exception>
    public static StitchRule Of(ReduceOperation operation) => operation switch
    {
        ReduceOperation.Copy => Copy,
        ReduceOperation.Sum => Sum,
        ReduceOperation.Average => Average,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a stitching reduce operation."),
    };
}
