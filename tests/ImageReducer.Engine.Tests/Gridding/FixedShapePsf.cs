using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.Gridding;

/// <summary>A test PSF with a fixed adaptive shape that records where its shape was asked for.</summary>
internal sealed class FixedShapePsf(PsfShape shape, Point2D averagePosition) : Psf
{
    public List<Point2D> ShapeRequests { get; } = [];

    public override Point2D AveragePosition => averagePosition;

    public override PsfShape ComputeShape(Point2D position)
    {
        ShapeRequests.Add(position);
        return shape;
    }

    // A one-pixel delta kernel: never used by the grid, present so the PSF is complete.
    public override Image<double> ComputeKernelImage(Point2D position)
    {
        var kernel = new Image<double>(new Box(0, 0, 1, 1));
        kernel[0, 0] = 1;
        return kernel;
    }

    public override Image<double> ComputeImage(Point2D position)
    {
        var image = new Image<double>(new Box((int)Math.Floor(position.X + 0.5), (int)Math.Floor(position.Y + 0.5), 1, 1));
        image.Fill(1);
        return image;
    }

    public override string Kind => "fixedShape";

    /// <summary>A round shape whose FWHM is <paramref name="fwhm"/>.</summary>
    public static FixedShapePsf WithFwhm(double fwhm, Point2D averagePosition = default)
    {
        double sigma = fwhm / FwhmFactor;
        return new FixedShapePsf(new PsfShape(sigma * sigma, sigma * sigma, 0), averagePosition);
    }
}
