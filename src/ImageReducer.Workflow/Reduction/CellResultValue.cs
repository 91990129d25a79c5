using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The JSON value of a mapper result in a results list (<c>reduceOperation: none</c>): a value result
/// as it is; an exposure or PSF result (no natural JSON form) as a small summary of what it holds.
/// </summary>
public static class CellResultValue
{
    /// <summary>The object to serialise for <paramref name="result"/>.</summary>
    public static object? Of(MapResult result) => result switch
    {
        ValueResult v => v.Value,
        ExposureResult e => new { type = "exposure", bbox = e.SubExposure.Box.ToArray(), psf = e.SubExposure.Psf?.Kind },
        PsfResult p => new { type = "psf", kind = p.Psf.Kind, bbox = p.Box.ToArray(), fwhm = SafeFwhm(p.Psf, p.Box) },
        _ => new { type = result.GetType().Name },
    };

    private static double? SafeFwhm(Psf psf, Box box)
    {
        try
        {
            return psf.ComputeFwhm(box.Center);
        }
        catch (Exception e) when (e is InvalidPsfException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
