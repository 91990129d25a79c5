namespace ImageReducer.Cli.Demo;

/// <summary>Seeded normal deviates (Box–Muller on <see cref="Random"/>, whose seeded sequence is stable across runs).</summary>
internal sealed class GaussianRandom(int seed)
{
    private readonly Random random = new(seed);
    private double? spare;

    /// <summary>Uniform in [0, 1).</summary>
    public double Uniform() => random.NextDouble();

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + (max - min) * random.NextDouble();

    /// <summary>A standard normal deviate.</summary>
    public double Normal()
    {
        if (spare is double s)
        {
            spare = null;
            return s;
        }
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        spare = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }
}
