using ImageReducer.Engine;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.Mapping;

/// <summary>Small exposures and contexts for mapper tests.</summary>
internal static class MappingTestExposures
{
    /// <summary>An exposure over <paramref name="box"/> whose image is f(x, y) and variance 1 + pixel index.</summary>
    public static Exposure Filled(Box box, Func<int, int, float> f, Psf? psf = null)
    {
        var e = new Exposure(box, psf);
        int k = 0;
        for (int y = box.MinY; y <= box.MaxY; y++)
            for (int x = box.MinX; x <= box.MaxX; x++)
            {
                e.Image[x, y] = f(x, y);
                e.Variance[x, y] = 1 + k++;
            }
        return e;
    }

    /// <summary>Gaussian noise (Box–Muller, seeded) around <paramref name="level"/>.</summary>
    public static Exposure Noise(Box box, double level, double sigma, int seed)
    {
        var random = new Random(seed);
        return Filled(box, (_, _) => (float)(level + sigma * Gaussian(random)));
    }

    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static MapContext Context(Box fullBox, int cellIndex = 0) => new(cellIndex, fullBox, EngineOptions.Default);
}
