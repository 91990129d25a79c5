using ImageReducer.Cli.Errors;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Running;

/// <summary>The grid of an exposure, with the CLI's wording when the FWHM scaling needs a PSF the input lacks.</summary>
internal static class GridFor
{
    public static Grid Exposure(Exposure exposure, MapReduceConfig config)
    {
        if (exposure.Psf is null && config.ScaleByFwhm && !config.HasCentroids)
            throw new InputDataException("the input has no PSF and scaleByFwhm=true needs one: give --psf (e.g. --psf gaussian:sigma=2.0), or --set scaleByFwhm=false, or cellCentroidsX/Y");
        return GridBuilder.Build(exposure, config);
    }
}
