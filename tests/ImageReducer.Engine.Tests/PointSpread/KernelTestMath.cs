using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Tests.PointSpread;

/// <summary>Sums and centroids of kernel images, in parent coordinates.</summary>
internal static class KernelTestMath
{
    public static double Sum(Image<double> img)
    {
        double s = 0;
        for (int y = img.Box.MinY; y <= img.Box.MaxY; y++)
            foreach (double v in img.Row(y)) s += v;
        return s;
    }

    public static Point2D Centroid(Image<double> img)
    {
        double s = 0, sx = 0, sy = 0;
        for (int y = img.Box.MinY; y <= img.Box.MaxY; y++)
            for (int x = img.Box.MinX; x <= img.Box.MaxX; x++)
            {
                double v = img[x, y];
                s += v; sx += v * x; sy += v * y;
            }
        return new Point2D(sx / s, sy / s);
    }

    /// <summary>The location of the largest pixel.</summary>
    public static (int X, int Y) ArgMax(Image<double> img)
    {
        (int, int) best = (img.Box.MinX, img.Box.MinY);
        double bv = double.NegativeInfinity;
        for (int y = img.Box.MinY; y <= img.Box.MaxY; y++)
            for (int x = img.Box.MinX; x <= img.Box.MaxX; x++)
                if (img[x, y] > bv) { bv = img[x, y]; best = (x, y); }
        return best;
    }
}
