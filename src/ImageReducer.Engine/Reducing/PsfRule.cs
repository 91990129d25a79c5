namespace ImageReducer.Engine.Reducing;

/// <summary>Where the PSF of a reduction's output comes from (<see cref="IReducer.PsfRule"/>).</summary>
public enum PsfRule
{
    /// <summary>The output has no PSF (<c>none</c>: the results are the output).</summary>
    None,
    /// <summary>The output keeps the input's PSF (<c>copy</c>).</summary>
    Input,
    /// <summary>The output's PSF is the CoaddPsf of the results' PSFs and boxes (<c>sum</c>, <c>average</c>; <c>coaddPsf</c>, whose output it is).</summary>
    CoaddOfResults,
}
