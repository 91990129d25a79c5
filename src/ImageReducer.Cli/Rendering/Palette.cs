using SkiaSharp;

namespace ImageReducer.Cli.Rendering;

/// <summary>Distinct colours (matplotlib's tab10, then lighter variants) for cells and mask planes.</summary>
internal static class Palette
{
    private static readonly SKColor[] Tab10 =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28), new(0x94, 0x67, 0xbd),
        new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x7f, 0x7f, 0x7f), new(0xbc, 0xbd, 0x22), new(0x17, 0xbe, 0xcf),
    ];

    /// <summary>The colour of cell <paramref name="index"/>.</summary>
    public static SKColor ForCell(int index) => Tab10[index % Tab10.Length];

    /// <summary>The colour of mask bit <paramref name="bit"/> (0..31).</summary>
    public static SKColor ForBit(int bit)
    {
        SKColor c = Tab10[bit % Tab10.Length];
        if (bit < Tab10.Length) return c;
        // Later planes: blend towards white so they differ from the first ten.
        float t = bit < 2 * Tab10.Length ? 0.45f : 0.7f;
        return new SKColor((byte)(c.Red + (255 - c.Red) * t), (byte)(c.Green + (255 - c.Green) * t), (byte)(c.Blue + (255 - c.Blue) * t));
    }
}
