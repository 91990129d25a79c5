using ImageReducer.Engine.Imaging;
using SkiaSharp;

namespace ImageReducer.Cli.Rendering;

/// <summary>
/// Turns planes into bitmaps and bitmaps into PNG bytes. Images are drawn with y increasing
/// upwards (row minY at the bottom), as ds9 and the reference's matplotlib plots show them.
/// </summary>
internal static class PngRenderer
{
    /// <summary>Non-finite pixels (no data) are shown in this colour so they cannot pass for black sky.</summary>
    public static readonly SKColor NotFinite = new(0x40, 0x10, 0x60);

    /// <summary>Integer magnification so that the longer side is at least <paramref name="minSide"/> pixels (at most 16×).</summary>
    public static int ScaleFor(Box box, int minSide) =>
        Math.Clamp((int)Math.Ceiling(minSide / (double)Math.Max(1, Math.Max(box.Width, box.Height))), 1, 16);

    /// <summary>A grey-level bitmap of <paramref name="image"/>, magnified <paramref name="scale"/> times.</summary>
    public static SKBitmap Grey(Image<float> image, Stretch stretch, int scale)
    {
        var bitmap = new SKBitmap(image.Width * scale, image.Height * scale, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int j = 0; j < image.Height; j++)
        {
            var row = image.RowAt(j);
            for (int i = 0; i < row.Length; i++)
            {
                double g = stretch.Apply(row[i]);
                SKColor colour = double.IsNaN(g) ? NotFinite : Grey((byte)Math.Round(g * 255));
                Fill(bitmap, image.Height, i, j, scale, colour);
            }
        }
        return bitmap;
    }

    /// <summary>A bitmap of mask bits: each pixel takes the colour of its lowest set plane, black when clear.</summary>
    public static SKBitmap MaskColours(Image<int> mask, int scale)
    {
        var bitmap = new SKBitmap(mask.Width * scale, mask.Height * scale, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int j = 0; j < mask.Height; j++)
        {
            var row = mask.RowAt(j);
            for (int i = 0; i < row.Length; i++)
            {
                int v = row[i];
                SKColor colour = v == 0 ? SKColors.Black : Palette.ForBit(System.Numerics.BitOperations.TrailingZeroCount(v));
                Fill(bitmap, mask.Height, i, j, scale, colour);
            }
        }
        return bitmap;
    }

    /// <summary>PNG bytes of <paramref name="bitmap"/>.</summary>
    public static byte[] EncodePng(SKBitmap bitmap)
    {
        using SKImage image = SKImage.FromBitmap(bitmap);
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("SkiaSharp could not encode the PNG");
        return data.ToArray();
    }

    private static SKColor Grey(byte g) => new(g, g, g);

    private static void Fill(SKBitmap bitmap, int height, int i, int j, int scale, SKColor colour)
    {
        int top = (height - 1 - j) * scale, left = i * scale;
        for (int dy = 0; dy < scale; dy++)
            for (int dx = 0; dx < scale; dx++)
                bitmap.SetPixel(left + dx, top + dy, colour);
    }
}
