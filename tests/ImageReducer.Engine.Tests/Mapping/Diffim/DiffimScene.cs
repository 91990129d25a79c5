using ImageReducer.Engine.Config;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Engine.Tests.Mapping.Diffim;

/// <summary>
/// Synthetic image-differencing inputs: one star field seen through a spatially varying science PSF and a narrower,
/// differently varying template PSF, a Gaussian A&amp;L matching kernel (sum ≠ 1: a photometric scale), the
/// difference science − template ⊛ κ, and noise. Deterministic for a seed.
/// </summary>
internal sealed class DiffimScene : IDisposable
{
    public required Exposure Science { get; init; }
    public required Exposure Template { get; init; }
    public required Exposure Difference { get; init; }
    public required Image<double> MatchingKernel { get; init; }

    /// <summary>The mappers' auxiliary inputs (views of the scene's exposures; the scene owns them).</summary>
    public AuxiliaryData Auxiliary(params string[] names)
    {
        var exposures = new Dictionary<string, Exposure>();
        foreach (string n in names)
            exposures[n] = (n switch { "science" => Science, "template" => Template, _ => throw new ArgumentException(n) }).Sub(Science.Box);
        var kernels = names.Contains("template") && names.Contains("science")
            ? new Dictionary<string, AuxiliaryKernel> { ["psfMatchingKernel"] = AuxiliaryKernel.Fixed(MatchingKernel) }
            : null;
        return new AuxiliaryData(exposures, kernels);
    }

    /// <summary>The grid LSST's decorrelation uses, in pixels: 41-px cells every 40 px with an 8-px border, forceEvenSized.</summary>
    public static MapReduceConfig LsstConfig(string mapper, int cell = 41, int step = 40, int border = 8) => new()
    {
        CellSizeX = cell, CellSizeY = cell, GridStepX = step, GridStepY = step, BorderSizeX = border, BorderSizeY = border,
        ScaleByFwhm = false, ForceEvenSized = true,
        Mapper = new MapperConfig { Name = mapper },
        Reducer = new ReducerConfig { ReduceOperation = ReduceOperation.Average },
    };

    public Grid Grid(MapReduceConfig config) => GridBuilder.Build(Science, config);

    public static DiffimScene Create(int width = 128, int height = 112, int x0 = 7, int y0 = -5, int stars = 45, int seed = 1,
        double kernelSum = 1.02, bool transient = true)
    {
        var box = new Box(x0, y0, width, height);
        var centre = box.Center;
        var sciencePsf = new VaryingGaussianPsf(17, 17, 1.9, 0.004, 0.002, centre);
        var templatePsf = new VaryingGaussianPsf(17, 17, 1.3, -0.001, 0.0015, centre);
        var random = new Random(seed);
        var positions = Enumerable.Range(0, stars)
            .Select(_ => (X: x0 + 4 + random.NextDouble() * (width - 8), Y: y0 + 4 + random.NextDouble() * (height - 8), Flux: 200 + 4000 * random.NextDouble()))
            .ToArray();
        const float sky = 100f, readNoise = 5f;
        Exposure science = Render(box, sciencePsf, positions, sky, readNoise, random);
        Exposure template = Render(box, templatePsf, positions, sky * 0.8f, readNoise * 0.7f, random);
        if (transient)
            AddStar(science.Image, sciencePsf, x0 + width * 0.31, y0 + height * 0.62, 3000);

        // κ: the Gaussian that widens the template PSF to the science PSF at the centre, scaled by kernelSum.
        double sk = Math.Sqrt(1.9 * 1.9 - 1.3 * 1.3);
        var kernel = new Image<double>(new Box(-7, -7, 15, 15));
        double sum = 0;
        for (int y = -7; y <= 7; y++)
            for (int x = -7; x <= 7; x++) sum += kernel[x, y] = Math.Exp(-(x * x + y * y) / (2 * sk * sk));
        foreach (ref double v in kernel.Pixels) v *= kernelSum / sum;

        var difference = new Exposure(box, sciencePsf) { Wcs = science.Wcs };
        for (int y = box.MinY; y <= box.MaxY; y++)
            for (int x = box.MinX; x <= box.MaxX; x++)
            {
                double convolved = 0;
                for (int v = -7; v <= 7; v++)
                    for (int u = -7; u <= 7; u++)
                    {
                        int tx = Math.Clamp(x - u, box.MinX, box.MaxX), ty = Math.Clamp(y - v, box.MinY, box.MaxY);
                        convolved += kernel[u, v] * template.Image[tx, ty];
                    }
                difference.Image[x, y] = (float)(science.Image[x, y] - convolved);
                difference.Variance[x, y] = science.Variance[x, y] + template.Variance[x, y];
            }
        // A few flagged and non-finite pixels, as a real difference image has.
        difference.Mask.Pixels[x0 + width / 6, y0 + height / 4] = 1 << difference.Mask.Planes.GetBit("SAT");
        difference.Image[x0 + width * 2 / 5, y0 + height / 3] = float.NaN;
        science.Mask.Pixels[x0 + width / 2, y0 + height * 2 / 3] = 1 << science.Mask.Planes.GetBit("BAD");
        return new DiffimScene { Science = science, Template = template, Difference = difference, MatchingKernel = kernel };
    }

    private static Exposure Render(Box box, Psf psf, (double X, double Y, double Flux)[] stars, float sky, float noise, Random random)
    {
        var e = new Exposure(box, psf);
        e.Image.Fill(0);
        foreach (var s in stars) AddStar(e.Image, psf, s.X, s.Y, s.Flux);
        for (int y = box.MinY; y <= box.MaxY; y++)
            for (int x = box.MinX; x <= box.MaxX; x++)
            {
                float signal = e.Image[x, y];
                e.Variance[x, y] = noise * noise + Math.Max(signal, 0) + sky;
                e.Image[x, y] = (float)(signal + Gaussian(random) * Math.Sqrt(e.Variance[x, y]));
            }
        return e;
    }

    private static void AddStar(Image<float> image, Psf psf, double x, double y, double flux)
    {
        using Image<double> stamp = psf.ComputeImage(new Point2D(x, y));
        for (int v = stamp.Box.MinY; v <= stamp.Box.MaxY; v++)
            for (int u = stamp.Box.MinX; u <= stamp.Box.MaxX; u++)
                if (image.Box.Contains(u, v)) image[u, v] += (float)(flux * stamp[u, v]);
    }

    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public void Dispose()
    {
        Science.Dispose();
        Template.Dispose();
        Difference.Dispose();
        MatchingKernel.Dispose();
    }
}
