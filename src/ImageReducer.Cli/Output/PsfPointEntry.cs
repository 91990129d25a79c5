using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Output;

/// <summary>The PSF image at one point: its parent-pixel box and rows from minY to maxY.</summary>
internal sealed record PsfPointEntry(double X, double Y, Box Bbox, double[][] Kernel)
{
    public static PsfPointEntry From(Point2D at, Image<double> image)
    {
        var rows = new double[image.Height][];
        for (int j = 0; j < image.Height; j++) rows[j] = image.RowAt(j).ToArray();
        return new PsfPointEntry(at.X, at.Y, image.Box, rows);
    }
}
