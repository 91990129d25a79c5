using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Rendering;

/// <summary>Picks finite pixel values on a regular stride, as zscale does.</summary>
internal static class PixelSampler
{
    /// <summary>At most <paramref name="maxSamples"/> finite values, every k-th pixel in row order.</summary>
    public static double[] Finite(Image<float> image, int maxSamples)
    {
        long total = image.Box.Area;
        long stride = Math.Max(1, total / maxSamples);
        var samples = new List<double>((int)Math.Min(total, maxSamples));
        long index = 0;
        for (int j = 0; j < image.Height && samples.Count < maxSamples; j++)
        {
            var row = image.RowAt(j);
            for (int i = 0; i < row.Length; i++, index++)
            {
                if (index % stride != 0) continue;
                float v = row[i];
                if (float.IsFinite(v)) samples.Add(v);
                if (samples.Count == maxSamples) break;
            }
        }
        return samples.ToArray();
    }
}
