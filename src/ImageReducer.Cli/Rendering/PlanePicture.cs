using ImageReducer.Engine.Imaging;
using SkiaSharp;

namespace ImageReducer.Cli.Rendering;

/// <summary>The <c>imred preview</c> picture of one plane.</summary>
internal static class PlanePicture
{
    /// <summary>Small exposures are magnified so the longer side reaches this many pixels.</summary>
    public const int MinSide = 512;

    public static byte[] Render(Exposure exposure, string plane, StretchKind stretch)
    {
        int scale = PngRenderer.ScaleFor(exposure.Box, MinSide);
        using SKBitmap bitmap = plane switch
        {
            "image" => PngRenderer.Grey(exposure.Image, Stretch.For(stretch, exposure.Image), scale),
            "variance" => PngRenderer.Grey(exposure.Variance, Stretch.For(stretch, exposure.Variance), scale),
            "mask" => PngRenderer.MaskColours(exposure.Mask.Pixels, scale),
            _ => throw new ArgumentOutOfRangeException(nameof(plane), plane, "plane must be image, mask or variance"),
        };
        if (plane == "mask")
        {
            using var canvas = new SKCanvas(bitmap);
            MaskLegend.Draw(canvas, exposure.Mask);
        }
        return PngRenderer.EncodePng(bitmap);
    }
}
