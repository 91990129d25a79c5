using ImageReducer.Engine.Imaging;
using SkiaSharp;

namespace ImageReducer.Cli.Rendering;

/// <summary>
/// Draws a grid over a rendered image: each cell dashed and its expanded cell dotted, in the same
/// colour per cell (the reference's <c>plotBoxes</c>, with colours and cell indices).
/// </summary>
internal static class GridOverlay
{
    /// <summary>Draws <paramref name="cells"/> and <paramref name="expanded"/> on <paramref name="canvas"/>; the image covers <paramref name="imageBox"/> at <paramref name="scale"/>.</summary>
    public static void Draw(SKCanvas canvas, Box imageBox, int scale, IReadOnlyList<Box> cells, IReadOnlyList<Box> expanded)
    {
        float stroke = Math.Max(1.5f, scale * 0.6f);
        using var dashed = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = stroke, PathEffect = SKPathEffect.CreateDash([4 * stroke, 2.5f * stroke], 0) };
        using var dotted = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = stroke * 1.3f, StrokeCap = SKStrokeCap.Round, PathEffect = SKPathEffect.CreateDash([0.01f, 2.5f * stroke], 0) };
        using var label = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        using var halo = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 4, Color = SKColors.Black.WithAlpha(220) };
        using var font = new SKFont(SKTypeface.FromFamilyName(null, SKFontStyle.Bold), Math.Clamp(scale * 6f, 11f, 24f));
        for (int i = 0; i < cells.Count; i++)
        {
            SKColor colour = Palette.ForCell(i);
            dotted.Color = colour.WithAlpha(220);
            canvas.DrawRect(ToCanvas(expanded[i], imageBox, scale, stroke), dotted);
            dashed.Color = colour;
            SKRect cell = ToCanvas(cells[i], imageBox, scale, stroke);
            canvas.DrawRect(cell, dashed);
            // Labels are lightened so that the darker palette entries stay legible over sky noise.
            label.Color = Lighten(colour, 0.45f);
            string text = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            canvas.DrawText(text, cell.MidX, cell.MidY + font.Size / 3, SKTextAlign.Center, font, halo);
            canvas.DrawText(text, cell.MidX, cell.MidY + font.Size / 3, SKTextAlign.Center, font, label);
        }
    }

    /// <summary>The canvas rectangle covering <paramref name="box"/>'s pixels (y up), inset by half a stroke so edges stay inside.</summary>
    public static SKRect ToCanvas(Box box, Box imageBox, int scale, float stroke)
    {
        float left = (box.MinX - imageBox.MinX) * scale, right = (box.MaxX - imageBox.MinX + 1) * scale;
        float top = (imageBox.MaxY - box.MaxY) * scale, bottom = (imageBox.MaxY - box.MinY + 1) * scale;
        float inset = stroke / 2;
        return new SKRect(left + inset, top + inset, right - inset, bottom - inset);
    }

    private static SKColor Lighten(SKColor c, float t) =>
        new((byte)(c.Red + (255 - c.Red) * t), (byte)(c.Green + (255 - c.Green) * t), (byte)(c.Blue + (255 - c.Blue) * t));
}
