namespace ImageReducer.Engine.Mapping.Auxiliary;

/// <summary>What an auxiliary input is.</summary>
public enum AuxiliaryKind
{
    /// <summary>An exposure on the same pixel grid as the main one (same box): the runner cuts it to each expanded cell.</summary>
    Exposure,

    /// <summary>A convolution kernel (a fixed kernel image, or a PSF model evaluated where the mapper asks): passed whole to every cell.</summary>
    Kernel,
}

/// <summary>
/// An extra input a mapper declares beside the main exposure (the reference passes them to
/// <c>ImageMapReduceTask.run</c> as keyword arguments: <c>template=</c>, <c>science=</c>, <c>psfMatchingKernel=</c>).
/// </summary>
/// <param name="Name">The name a caller gives it (<c>--aux NAME=PATH</c>, the request's <c>auxiliary</c> object), e.g. <c>template</c>.</param>
/// <param name="Kind">An exposure cut to each cell, or a kernel.</param>
/// <param name="Description">One line for help output and error messages.</param>
/// <param name="NeedsPsf">An exposure whose PSF the mapper evaluates (refused without one).</param>
/// <param name="Optional">The mapper runs without it.</param>
public sealed record AuxiliaryInput(string Name, AuxiliaryKind Kind, string Description, bool NeedsPsf = false, bool Optional = false);
