using ImageReducer.Engine.Imaging;
using SkiaSharp;

namespace ImageReducer.Cli.Rendering;

/// <summary>A key in the top-left corner of a mask picture: the colour and name of every plane that is set somewhere.</summary>
internal static class MaskLegend
{
    public static void Draw(SKCanvas canvas, Mask mask)
    {
        int present = 0;
        for (int j = 0; j < mask.Pixels.Height; j++)
            foreach (int v in mask.Pixels.RowAt(j)) present |= v;
        var planes = mask.Planes.Planes.Where(p => (present & (1 << p.Value)) != 0).ToArray();
        if (planes.Length == 0) return;

        using var font = new SKFont(SKTypeface.FromFamilyName(null, SKFontStyle.Bold), 14f);
        using var text = new SKPaint { IsAntialias = true, Color = SKColors.White };
        using var swatch = new SKPaint { IsAntialias = false, Style = SKPaintStyle.Fill };
        using var panel = new SKPaint { Color = new SKColor(0, 0, 0, 170) };
        float line = 18, pad = 6;
        float width = planes.Max(p => font.MeasureText($"{p.Key} (bit {p.Value})")) + 3 * pad + 12;
        canvas.DrawRect(new SKRect(0, 0, width, pad * 2 + line * planes.Length), panel);
        for (int i = 0; i < planes.Length; i++)
        {
            float y = pad + i * line;
            swatch.Color = Palette.ForBit(planes[i].Value);
            canvas.DrawRect(new SKRect(pad, y + 3, pad + 12, y + 15), swatch);
            canvas.DrawText($"{planes[i].Key} (bit {planes[i].Value})", pad * 2 + 12, y + 14, SKTextAlign.Left, font, text);
        }
    }
}
