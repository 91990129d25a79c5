using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Mappers;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.Mapping;

public class ConvolveMapperTests
{
    private static readonly Box Full = new(10, 20, 80, 64);

    private static MapContext Context(Box full) => new(0, full, EngineOptions.Default);

    /// <summary>A noisy exposure with a few bright sources, variance ~ image, and deterministic content.</summary>
    private static Exposure RandomExposure(Box box, Psf? psf = null, int seed = 1)
    {
        var e = new Exposure(box, psf ?? new GaussianPsf(11, 11, 2.0));
        var rng = new Random(seed);
        for (int y = box.MinY; y <= box.MaxY; y++)
            for (int x = box.MinX; x <= box.MaxX; x++)
            {
                e.Image[x, y] = (float)(100 + 10 * rng.NextDouble());
                e.Variance[x, y] = (float)(50 + rng.NextDouble());
            }
        for (int i = 0; i < 6; i++)
            e.Image[box.MinX + rng.Next(box.Width), box.MinY + rng.Next(box.Height)] += 5000;
        return e;
    }

    private static Exposure Run(ConvolveMapperOptions o, Exposure full, Box cell, Box expanded)
    {
        var result = new ConvolveMapper(o).Map(full.Sub(cell), full.Sub(expanded), Context(full.Box));
        return Assert.IsType<ExposureResult>(result).SubExposure;
    }

    [Fact]
    public void Map_DeltaFunction_GivesTheGaussianKernel()
    {
        var e = new Exposure(Full, new GaussianPsf(11, 11, 2.0));
        e.Image[50, 50] = 1;
        var cell = new Box(35, 35, 30, 30);
        var outp = Run(new ConvolveMapperOptions { Sigma = 1.5 }, e, cell, cell.Grow(8));
        double norm = 0;
        for (int m = -6; m <= 6; m++) norm += Math.Exp(-m * m / (2 * 1.5 * 1.5));
        // float32 output of a double computation: 1e-7 absolute on values ≤ 0.07.
        for (int dy = -6; dy <= 6; dy++)
            for (int dx = -6; dx <= 6; dx++)
            {
                double g = Math.Exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5)) / (norm * norm);
                Assert.Equal(g, outp.Image[50 + dx, 50 + dy], 1e-7);
            }
        Assert.Equal(0f, outp.Image[50 + 7, 50]); // radius ceil(4·1.5) = 6
    }

    [Theory]
    [InlineData(ConvolutionMethod.Direct)]
    [InlineData(ConvolutionMethod.Fft)]
    public void Map_InteriorDelta_ConservesFlux(ConvolutionMethod method)
    {
        var e = new Exposure(Full, new GaussianPsf(11, 11, 2.0));
        e.Image[45, 52] = 1000;
        var outp = Run(new ConvolveMapperOptions { Sigma = 3, Method = method }, e, Full, Full);
        double s = 0;
        for (int y = Full.MinY; y <= Full.MaxY; y++) foreach (float v in outp.Image.Row(y)) s += v;
        Assert.Equal(1000, s, 1e-3); // float32 pixels: ~1e-7 relative each, ~5000 pixels
    }

    [Theory]
    [InlineData(30, 35, 20, 20)]   // interior cell, border 12 ≥ radius 12
    [InlineData(10, 20, 15, 15)]   // corner cell: expanded box clipped by the exposure
    [InlineData(75, 60, 15, 24)]   // opposite corner
    public void Map_CellWithBorderAtLeastRadius_EqualsFullImageConvolution(int x0, int y0, int w, int h)
    {
        var e = RandomExposure(Full);
        e.Mask.Pixels[40, 40] = 1 << 3;
        var o = new ConvolveMapperOptions { Sigma = 3, Method = ConvolutionMethod.Direct }; // radius 12
        var full = Run(o, e, Full, Full);
        var cell = new Box(x0, y0, w, h).Clip(Full);
        var part = Run(o, e, cell, cell.Grow(12).Clip(Full));
        Assert.Equal(cell, part.Box);
        // The direct path sums each pixel in the same order whatever the box: bit-identical.
        for (int y = cell.MinY; y <= cell.MaxY; y++)
        {
            Assert.Equal(full.Image.Row(y).Slice(cell.MinX - Full.MinX, cell.Width).ToArray(), part.Image.Row(y).ToArray());
            Assert.Equal(full.Variance.Row(y).Slice(cell.MinX - Full.MinX, cell.Width).ToArray(), part.Variance.Row(y).ToArray());
            Assert.Equal(full.Mask.Row(y).Slice(cell.MinX - Full.MinX, cell.Width).ToArray(), part.Mask.Row(y).ToArray());
        }
    }

    [Fact]
    public void Map_CellWithBorderAtLeastRadius_FftMatchesFullImage()
    {
        var e = RandomExposure(Full);
        var o = new ConvolveMapperOptions { Sigma = 3, Method = ConvolutionMethod.Fft };
        var full = Run(o, e, Full, Full);
        var cell = new Box(30, 35, 20, 20);
        var part = Run(o, e, cell, cell.Grow(12));
        // Different FFT sizes round differently: float32 tolerance on values ~100..900.
        for (int y = cell.MinY; y <= cell.MaxY; y++)
            for (int x = cell.MinX; x <= cell.MaxX; x++)
                Assert.Equal(full.Image[x, y], part.Image[x, y], 1e-3f);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(3.0)]
    [InlineData(7.5)]
    public void Map_DirectAndFft_AgreeWithinFloatTolerance(double sigma)
    {
        var e = RandomExposure(Full, seed: 7);
        var cell = new Box(25, 30, 40, 30);
        var expanded = cell.Grow(20).Clip(Full); // partly clipped: exercises edge renormalisation
        var d = Run(new ConvolveMapperOptions { Sigma = sigma, Method = ConvolutionMethod.Direct }, e, cell, expanded);
        var f = Run(new ConvolveMapperOptions { Sigma = sigma, Method = ConvolutionMethod.Fft }, e, cell, expanded);
        // Values ≤ ~5000 (image) and ~50 (variance); float32 keeps ~7 digits: 2e-6 relative to the peak.
        float maxI = 0, maxV = 0;
        for (int y = cell.MinY; y <= cell.MaxY; y++)
            for (int x = cell.MinX; x <= cell.MaxX; x++)
            {
                maxI = Math.Max(maxI, Math.Abs(d.Image[x, y]));
                maxV = Math.Max(maxV, Math.Abs(d.Variance[x, y]));
            }
        for (int y = cell.MinY; y <= cell.MaxY; y++)
            for (int x = cell.MinX; x <= cell.MaxX; x++)
            {
                Assert.Equal(d.Image[x, y], f.Image[x, y], 2e-6f * maxI);
                Assert.Equal(d.Variance[x, y], f.Variance[x, y], 2e-6f * maxV);
                Assert.Equal(d.Mask.Pixels[x, y], f.Mask.Pixels[x, y]);
            }
    }

    [Fact]
    public void Map_ConcurrentCalls_GiveTheSameBytesAsSequential()
    {
        // The mapper keeps no state; cells run concurrently in the runner.
        var e = RandomExposure(Full, new DoubleGaussianPsf(11, 11, 2.0, 3.7, 0.1));
        var mapper = new ConvolveMapper(new ConvolveMapperOptions { TargetFwhm = 6.5 });
        var cells = Enumerable.Range(0, 8).Select(i => new Box(12 + 8 * i, 25, 8, 30)).ToArray();
        float[][] Once(int dop)
        {
            var r = new float[cells.Length][];
            Parallel.For(0, cells.Length, new ParallelOptions { MaxDegreeOfParallelism = dop }, i =>
            {
                var c = cells[i];
                var outp = ((ExposureResult)mapper.Map(e.Sub(c), e.Sub(c.Grow(10).Clip(Full)), Context(Full))).SubExposure;
                r[i] = outp.Image.ToArray();
            });
            return r;
        }
        var seq = Once(1);
        var par = Once(4);
        for (int i = 0; i < cells.Length; i++) Assert.Equal(seq[i], par[i]);
    }

    [Fact]
    public void Map_ConstantVariance_ScalesBySumOfSquaredKernel()
    {
        var e = new Exposure(Full, new GaussianPsf(11, 11, 2.0));
        e.Variance.Fill(4f);
        e.Image.Fill(7f);
        var cell = new Box(40, 40, 10, 10);
        var outp = Run(new ConvolveMapperOptions { Sigma = 2 }, e, cell, cell.Grow(8));
        var g = new double[17];
        double s = 0, s2 = 0;
        for (int m = -8; m <= 8; m++) s += g[m + 8] = Math.Exp(-m * m / 8.0);
        foreach (double v in g) s2 += (v / s) * (v / s);
        Assert.Equal(4 * s2 * s2, outp.Variance[45, 45], 1e-6);
        Assert.Equal(7f, outp.Image[40, 49], 1e-5f); // a flat image stays flat
    }

    [Fact]
    public void Map_FlatImageCellAtExposureEdge_StaysFlat()
    {
        // The kernel is renormalised over existing pixels, so there is no darkening at the edge.
        var e = new Exposure(Full, new GaussianPsf(11, 11, 2.0));
        e.Image.Fill(3f);
        var cell = new Box(Full.MinX, Full.MinY, 12, 12);
        var outp = Run(new ConvolveMapperOptions { Sigma = 2.5 }, e, cell, cell.Grow(10).Clip(Full));
        Assert.Equal(3f, outp.Image[Full.MinX, Full.MinY], 1e-5f);
    }

    [Fact]
    public void Map_MaskBit_SpreadsOverKernelFootprint()
    {
        var e = new Exposure(Full, new GaussianPsf(11, 11, 2.0));
        int sat = e.Mask.Planes.GetBit("SAT");
        e.Mask.Pixels[50, 50] = 1 << sat;
        var cell = new Box(40, 40, 20, 20);
        var outp = Run(new ConvolveMapperOptions { Sigma = 1 }, e, cell, cell.Grow(5)); // radius 4
        Assert.Equal(1 << sat, outp.Mask.Pixels[46, 54]);
        Assert.Equal(1 << sat, outp.Mask.Pixels[54, 46]);
        Assert.Equal(0, outp.Mask.Pixels[45, 50]);
        Assert.Equal(0, outp.Mask.Pixels[50, 55]);
        Assert.Same(e.Mask.Planes, outp.Mask.Planes);
    }

    [Fact]
    public void Map_ReturnsNewPixelsOverTheCellAndLeavesInputUntouched()
    {
        var e = RandomExposure(Full);
        var before = e.Image.ToArray();
        var cell = new Box(30, 30, 16, 16);
        var outp = Run(new ConvolveMapperOptions { Sigma = 2 }, e, cell, cell.Grow(8));
        Assert.Equal(cell, outp.Box);
        Assert.False(outp.Image.IsView);
        Assert.Equal(before, e.Image.ToArray());
        Assert.Same(e.Wcs, outp.Wcs);
    }

    [Fact]
    public void Map_GaussianPsf_OutputPsfIsAnalyticGaussianWithAddedVariance()
    {
        var e = RandomExposure(Full, new GaussianPsf(11, 11, 2.0));
        var cell = new Box(30, 30, 16, 16);
        var outp = Run(new ConvolveMapperOptions { Sigma = 1.5 }, e, cell, cell.Grow(6));
        var psf = Assert.IsType<GaussianPsf>(outp.Psf);
        Assert.Equal(2.5, psf.Sigma, 1e-12);
        Assert.Equal(11 + 2 * 6, psf.Width);
        // Adaptive FWHM of a sampled sigma-2.5 Gaussian: within 0.5% of 2.5 × 2.3548.
        Assert.Equal(2.5 * Psf.FwhmFactor, psf.ComputeFwhm(), 0.03);
    }

    [Fact]
    public void Map_DoubleGaussianPsf_OutputKernelFwhmGrowsInQuadrature()
    {
        var input = new DoubleGaussianPsf(15, 15, 2.0, 3.7, 0.1);
        var e = RandomExposure(Full, input);
        var cell = new Box(30, 30, 16, 16);
        var outp = Run(new ConvolveMapperOptions { Sigma = 2 }, e, cell, cell.Grow(8));
        var psf = Assert.IsType<KernelImagePsf>(outp.Psf);
        Assert.Equal(cell.Center, psf.AveragePosition);
        double before = input.ComputeShape().DeterminantRadius;
        double after = psf.ComputeShape().DeterminantRadius;
        // Adaptive moments of a non-Gaussian profile do not add exactly in quadrature (the wings
        // weigh differently once widened): measured 3.016 vs 2.947 (+2.3%); 4% bounds it.
        Assert.Equal(Math.Sqrt(before * before + 4), after, 0.04 * after);
        Assert.True(after > Math.Sqrt(before * before + 4) * 0.99);
        Assert.Equal(1.0, KernelSum(psf), 1e-12);
    }

    [Fact]
    public void Map_NonAnalyticGaussianKernel_OutputKernelAddsInQuadrature()
    {
        // A DoubleGaussianPsf with b = 0 is a Gaussian but not a GaussianPsf, so the output is the
        // convolved kernel image: Gaussians add in quadrature up to pixelisation (< 0.5%).
        var input = new DoubleGaussianPsf(15, 15, 2.0);
        var e = RandomExposure(Full, input);
        var cell = new Box(30, 30, 16, 16);
        var outp = Run(new ConvolveMapperOptions { Sigma = 2 }, e, cell, cell.Grow(8));
        Assert.IsType<KernelImagePsf>(outp.Psf);
        double before = input.ComputeShape().DeterminantRadius;
        Assert.Equal(Math.Sqrt(before * before + 4), outp.Psf!.ComputeShape().DeterminantRadius, 0.005 * before);
    }

    [Fact]
    public void Map_TargetFwhm_OutputPsfHasThatFwhm()
    {
        var e = RandomExposure(Full, new DoubleGaussianPsf(15, 15, 2.0));
        var cell = new Box(30, 30, 16, 16);
        var outp = Run(new ConvolveMapperOptions { TargetFwhm = 7.0 }, e, cell, cell.Grow(12).Clip(Full));
        // Gaussians add in quadrature; pixelisation and truncation of the kernel leave < 0.5%.
        Assert.Equal(7.0, outp.Psf!.ComputeFwhm(), 0.035);
    }

    [Fact]
    public void KernelSigma_TargetSigma_IsQuadratureDifferenceFromAdaptiveShape()
    {
        var psf = new GaussianPsf(11, 11, 2.0);
        var m = new ConvolveMapper(new ConvolveMapperOptions { TargetSigma = 3.0 });
        double current = psf.ComputeShape().DeterminantRadius;
        Assert.Equal(Math.Sqrt(9 - current * current), m.KernelSigma(psf, new Point2D(5, 5)), 1e-12);
    }

    [Fact]
    public void Map_TargetNarrowerThanPsf_Throws()
    {
        var e = RandomExposure(Full, new GaussianPsf(11, 11, 2.0));
        var cell = new Box(30, 30, 16, 16);
        var ex = Assert.Throws<InvalidPsfException>(() => Run(new ConvolveMapperOptions { TargetFwhm = 4.0 }, e, cell, cell.Grow(8)));
        Assert.Contains("not wider", ex.Message);
    }

    [Fact]
    public void Map_PsfMatchingWithoutPsf_Throws()
    {
        var e = new Exposure(Full);
        var cell = new Box(30, 30, 16, 16);
        Assert.Throws<InvalidPsfException>(() => Run(new ConvolveMapperOptions { TargetSigma = 4.0 }, e, cell, cell.Grow(8)));
    }

    [Fact]
    public void Options_NegativeSigma_NamesTheField()
    {
        var ex = Assert.Throws<ConfigValidationException>(() => new ConvolveMapper(new ConvolveMapperOptions { Sigma = -1 }));
        Assert.Equal("mapper.sigma", ex.Field);
        Assert.Equal("mapper.sigma must be > 0, got -1", ex.Message);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(1.0, 2.0, null)]
    [InlineData(null, 2.0, 3.0)]
    public void Options_NotExactlyOneKernelChoice_Throws(double? sigma, double? targetSigma, double? targetFwhm)
    {
        var o = new ConvolveMapperOptions { Sigma = sigma, TargetSigma = targetSigma, TargetFwhm = targetFwhm };
        var ex = Assert.Throws<ConfigValidationException>(o.Validate);
        Assert.Contains("exactly one", ex.Message);
    }

    [Fact]
    public void Options_BadTruncateAndTarget_NameTheirFields()
    {
        Assert.Equal("mapper.truncate", Assert.Throws<ConfigValidationException>(() => new ConvolveMapperOptions { Sigma = 1, Truncate = 0 }.Validate()).Field);
        Assert.Equal("mapper.targetFwhm", Assert.Throws<ConfigValidationException>(() => new ConvolveMapperOptions { TargetFwhm = double.NaN }.Validate()).Field);
    }

    [Fact]
    public void Options_BindFromCamelCaseJson()
    {
        var o = System.Text.Json.JsonSerializer.Deserialize<ConvolveMapperOptions>(
            """{"targetFwhm": 6.5, "method": "fft"}""", ConfigJson.Options)!;
        Assert.Equal(6.5, o.TargetFwhm);
        Assert.Equal(ConvolutionMethod.Fft, o.Method);
        o.Validate();
    }

    [Fact]
    public void Mapper_IsRegisteredAsConvolve()
    {
        var attr = (MapperNameAttribute)Attribute.GetCustomAttribute(typeof(ConvolveMapper), typeof(MapperNameAttribute))!;
        Assert.Equal("convolve", attr.Name);
        Assert.False(string.IsNullOrWhiteSpace(attr.Description));
    }

    private static double KernelSum(Psf psf)
    {
        using var k = psf.ComputeKernelImage(psf.AveragePosition);
        double s = 0;
        foreach (double v in k.Pixels) s += v;
        return s;
    }
}
