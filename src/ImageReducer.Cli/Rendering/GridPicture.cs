using ImageReducer.Engine.Imaging;
using SkiaSharp;
using ImageReducer.Engine.Gridding;

namespace ImageReducer.Cli.Rendering;

/// <summary>The <c>imred grid --png</c> picture: the image under zscale with the grid drawn over it.</summary>
internal static class GridPicture
{
    /// <summary>The longer side of the picture is at least this many pixels, so that thin cells stay legible.</summary>
    public const int MinSide = 900;

    public static byte[] Render(Exposure exposure, Grid grid)
    {
        int scale = PngRenderer.ScaleFor(exposure.Box, MinSide);
        using SKBitmap bitmap = PngRenderer.Grey(exposure.Image, Stretch.For(StretchKind.Zscale, exposure.Image), scale);
        using (var canvas = new SKCanvas(bitmap))
            GridOverlay.Draw(canvas, exposure.Box, scale, grid.Cells, grid.ExpandedCells);
        return PngRenderer.EncodePng(bitmap);
    }
}
