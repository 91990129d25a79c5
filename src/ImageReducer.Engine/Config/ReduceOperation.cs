using ImageReducer.Engine.Reducing;

namespace ImageReducer.Engine.Config;

/// <summary>
/// What the reducer does with the mapper results (the reference's <c>reduceOperation</c>): the configuration's
/// vocabulary, each word naming the engine class that implements it (<see cref="ReducedByAttribute"/>). Everything
/// else about an operation — its output kind, PSF rule, fold and file naming — is asked of that reducer
/// (<see cref="IReducer"/>), never switched on here or outside the engine.
/// </summary>
public enum ReduceOperation
{
    /// <summary><c>none</c>: return the list of mapper results.</summary>
    [ReducedBy(typeof(ListReducer))]
    None,
    /// <summary><c>copy</c>: stitch; valid pixels overwrite, later cells win.</summary>
    [ReducedBy(typeof(StitchingReducer))]
    Copy,
    /// <summary><c>sum</c>: stitch; valid pixels are added.</summary>
    [ReducedBy(typeof(StitchingReducer))]
    Sum,
    /// <summary><c>average</c>: stitch; valid pixels are averaged over their contributions.</summary>
    [ReducedBy(typeof(StitchingReducer))]
    Average,
    /// <summary><c>coaddPsf</c>: combine the results' PSFs into one CoaddPsf.</summary>
    [ReducedBy(typeof(CoaddPsfReducer))]
    CoaddPsf,
}
