using ImageReducer.Engine.Config;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// Options of <see cref="ConvolveMapper"/>. Exactly one of <see cref="Sigma"/>,
/// <see cref="TargetSigma"/> and <see cref="TargetFwhm"/> is given.
/// </summary>
public sealed record ConvolveMapperOptions : IMapperOptions
{
    /// <summary>The options' JSON form (<see cref="MapperOptionsForm"/>).</summary>
    internal static MapperOptionsForm JsonForm { get; } = MapperOptionsForm.Of<ConvolveMapperOptions>(
        JsonFields.OptionalNumber<ConvolveMapperOptions>(nameof(Sigma), o => o.Sigma, (o, v) => o with { Sigma = v }),
        JsonFields.OptionalNumber<ConvolveMapperOptions>(nameof(TargetSigma), o => o.TargetSigma, (o, v) => o with { TargetSigma = v }),
        JsonFields.OptionalNumber<ConvolveMapperOptions>(nameof(TargetFwhm), o => o.TargetFwhm, (o, v) => o with { TargetFwhm = v }),
        JsonFields.Number<ConvolveMapperOptions>(nameof(Truncate), o => o.Truncate, (o, v) => o with { Truncate = v }),
        JsonFields.Choice<ConvolveMapperOptions, ConvolutionMethod>(nameof(Method), o => o.Method, (o, v) => o with { Method = v }));

    /// <summary>Sigma (pixels) of the Gaussian to convolve with. Must be &gt; 0.</summary>
    public double? Sigma { get; init; }

    /// <summary>
    /// PSF matching: the Gaussian sigma (pixels) the output PSF should have. The cell is convolved
    /// with the Gaussian of sigma² = target² − current², current being the determinant radius of the
    /// cell PSF's adaptive shape at the cell centre. Must be &gt; 0.
    /// </summary>
    public double? TargetSigma { get; init; }

    /// <summary>PSF matching to a FWHM (pixels): <see cref="TargetSigma"/> = FWHM / (2·sqrt(2·ln 2)). Must be &gt; 0.</summary>
    public double? TargetFwhm { get; init; }

    /// <summary>Kernel radius in sigmas: radius = ceil(truncate·sigma) pixels. Default 4. Must be &gt; 0.</summary>
    public double Truncate { get; init; } = 4.0;

    /// <summary>Direct, FFT, or chosen by kernel size (default).</summary>
    public ConvolutionMethod Method { get; init; } = ConvolutionMethod.Auto;

    /// <exception cref="ConfigValidationException">Not exactly one of sigma/targetSigma/targetFwhm, or a value out of range.</exception>
    public void Validate()
    {
        int given = (Sigma.HasValue ? 1 : 0) + (TargetSigma.HasValue ? 1 : 0) + (TargetFwhm.HasValue ? 1 : 0);
        if (given != 1)
            throw new ConfigValidationException("mapper.sigma",
                $"the convolve mapper needs exactly one of mapper.sigma, mapper.targetSigma, mapper.targetFwhm; got {given}");
        if (Sigma is double s) ConfigGuard.Positive(s, "mapper.sigma");
        if (TargetSigma is double t) ConfigGuard.Positive(t, "mapper.targetSigma");
        if (TargetFwhm is double f) ConfigGuard.Positive(f, "mapper.targetFwhm");
        ConfigGuard.Positive(Truncate, "mapper.truncate");
        ConfigGuard.Defined(Method, "mapper.method");
    }
}
