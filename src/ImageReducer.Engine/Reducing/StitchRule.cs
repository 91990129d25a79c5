using ImageReducer.Engine.Config;

namespace ImageReducer.Engine.Reducing;

/// <summary>What distinguishes <c>copy</c>, <c>sum</c> and <c>average</c> in a stitching fold (see <see cref="StitchingReduction"/>).</summary>
/// <param name="Operation">The operation.</param>
/// <param name="StartValue">The reference's initial image and variance value.</param>
/// <param name="DividesByCount">Divide by the count at the end (<c>average</c>).</param>
/// <param name="BuildsCoaddPsf">The output PSF is the CoaddPsf of the results (<c>sum</c>, <c>average</c>).</param>
/// <param name="Overwrites">Valid values overwrite (<c>copy</c>) rather than add.</param>
internal readonly record struct StitchRule(ReduceOperation Operation, float StartValue, bool DividesByCount, bool BuildsCoaddPsf, bool Overwrites)
{
    public static StitchRule Copy => new(ReduceOperation.Copy, StitchRows.QuietNaN, false, false, true);
    public static StitchRule Sum => new(ReduceOperation.Sum, 0f, false, true, false);
    public static StitchRule Average => new(ReduceOperation.Average, 0f, true, true, false);
}
