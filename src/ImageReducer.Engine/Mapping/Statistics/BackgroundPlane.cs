using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping.Statistics;

/// <summary>A background model <c>Level + SlopeX·(x − Origin.X) + SlopeY·(y − Origin.Y)</c> in parent pixel coordinates.</summary>
/// <param name="Level">Background at <paramref name="Origin"/> (NaN when nothing could be estimated).</param>
/// <param name="SlopeX">Change per pixel in x (0 for a constant background).</param>
/// <param name="SlopeY">Change per pixel in y (0 for a constant background).</param>
/// <param name="Origin">Where <paramref name="Level"/> applies.</param>
public readonly record struct BackgroundPlane(double Level, double SlopeX, double SlopeY, Point2D Origin)
{
    /// <summary>A constant background.</summary>
    public static BackgroundPlane Constant(double level) => new(level, 0, 0, Point2D.Zero);

    /// <summary>The background at pixel (x, y).</summary>
    public double At(int x, int y) => Level + SlopeX * (x - Origin.X) + SlopeY * (y - Origin.Y);
}
