namespace ImageReducer.Engine.Reducing;

/// <summary>
/// What distinguishes one stitching operation (<c>copy</c>, <c>sum</c>, <c>average</c>) from another in the fold
/// (see <see cref="StitchingReduction"/>, <see cref="BandStitching"/> and <see cref="GatherFold"/>, which fold by it).
/// Each operation's rule is declared with the operation (<see cref="ReduceOperation"/>, in <see cref="StitchingReducer"/>'s file).
/// </summary>
/// <param name="StartValue">The reference's initial image and variance value.</param>
/// <param name="DividesByCount">Divide by the count at the end (<c>average</c>).</param>
/// <param name="BuildsCoaddPsf">The output PSF is the CoaddPsf of the results (<c>sum</c>, <c>average</c>).</param>
/// <param name="Overwrites">Valid values overwrite (<c>copy</c>) rather than add.</param>
internal readonly record struct StitchRule(float StartValue, bool DividesByCount, bool BuildsCoaddPsf, bool Overwrites);
