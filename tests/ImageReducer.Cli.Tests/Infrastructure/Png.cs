using SkiaSharp;

namespace ImageReducer.Cli.Tests.Infrastructure;

/// <summary>Decodes PNG files to check that they are real images.</summary>
public static class Png
{
    public static (int Width, int Height) Size(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{path} has no PNG signature");
        using SKBitmap bitmap = SKBitmap.Decode(bytes) ?? throw new Xunit.Sdk.XunitException($"{path} does not decode");
        return (bitmap.Width, bitmap.Height);
    }

    /// <summary>Number of distinct colours (a blank image has one).</summary>
    public static int DistinctColours(string path)
    {
        using SKBitmap bitmap = SKBitmap.Decode(path);
        return bitmap.Pixels.Distinct().Count();
    }
}
