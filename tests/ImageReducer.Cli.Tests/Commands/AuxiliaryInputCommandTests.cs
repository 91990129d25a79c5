using ImageReducer.Cli.Tests.Infrastructure;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Tests.Commands;

/// <summary><c>imred run --aux NAME=PATH</c>: auxiliary inputs in-process and through the workflow's steps, and their errors.</summary>
public class AuxiliaryInputCommandTests
{
    private static void WriteExposure(string path, int seed, int width = 48, int height = 40, bool withPsf = true)
    {
        using var exposure = new Exposure(new Box(0, 0, width, height), withPsf ? new GaussianPsf(7, 7, 1.5) : null);
        var random = new Random(seed);
        foreach (ref float v in exposure.Image.Pixels) v = (float)random.NextDouble();
        exposure.Variance.Fill(0.25f);
        using FileStream file = File.Create(path);
        ExposureFits.Write(exposure, file);
    }

    private static readonly string[] Subtract =
        ["--set", "mapper.name=subtract", "--set", "scaleByFwhm=false", "--set", "cellSizeX=12", "--set", "cellSizeY=10", "--set", "gridStepX=10",
         "--set", "gridStepY=8", "--set", "borderSizeX=3", "--set", "borderSizeY=3"];

    [Fact]
    public async Task Run_SubtractWithTemplate_InProcessAndTiledGiveTheSameBytesAndTheDifference()
    {
        using var dir = new TempDirectory();
        WriteExposure(dir.File("science.fits"), seed: 1);
        WriteExposure(dir.File("template.fits"), seed: 2);

        CliRun plain = await Imred.RunAsync(dir.Path, ["run", "science.fits", "-o", "plain.fits", "--aux", "template=template.fits", .. Subtract]);
        CliRun tiled = await Imred.RunAsync(dir.Path, ["run", "science.fits", "-o", "tiled.fits", "--tile-size", "7", "--aux", "template=template.fits", .. Subtract]);

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(tiled.ExitCode == 0, tiled.ToString());
        Assert.Equal(File.ReadAllBytes(dir.File("plain.fits")), File.ReadAllBytes(dir.File("tiled.fits")));
        using Exposure science = ExposureFits.Read(dir.File("science.fits")), template = ExposureFits.Read(dir.File("template.fits"));
        using Exposure diff = ExposureFits.Read(dir.File("plain.fits"));
        Assert.Equal(science.Image[17, 23] - template.Image[17, 23], diff.Image[17, 23], 6);
        Assert.Contains("\"auxiliary\"", File.ReadAllText(dir.File("plain.fits.metadata.json")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_WithoutTheTemplate_ExitsTwoNamingIt(bool tiled)
    {
        using var dir = new TempDirectory();
        WriteExposure(dir.File("science.fits"), seed: 1);

        CliRun run = await Imred.RunAsync(dir.Path, ["run", "science.fits", "-o", "out.fits", .. Subtract, .. tiled ? (string[])["--tile-size", "8"] : []]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--aux template=PATH", run.Stderr);
        Assert.False(File.Exists(dir.File("out.fits")));
    }

    [Fact]
    public async Task Run_UnknownAuxiliaryName_ExitsTwoListingTheMappersInputs()
    {
        using var dir = new TempDirectory();
        WriteExposure(dir.File("science.fits"), seed: 1);

        CliRun run = await Imred.RunAsync(dir.Path, ["run", "science.fits", "-o", "out.fits", "--aux", "template=science.fits", "--aux", "refrence=x.fits", .. Subtract]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("no auxiliary input 'refrence'", run.Stderr);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_TemplateOfAnotherSize_ExitsThreeSayingBothSizes(bool tiled)
    {
        using var dir = new TempDirectory();
        WriteExposure(dir.File("science.fits"), seed: 1);
        WriteExposure(dir.File("small.fits"), seed: 2, width: 40);

        CliRun run = await Imred.RunAsync(dir.Path, ["run", "science.fits", "-o", "out.fits", "--aux", "template=small.fits", .. Subtract,
            .. tiled ? (string[])["--tile-size", "8"] : []]);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("40×40 px", run.Stderr);
        Assert.Contains("48×40 px", run.Stderr);
        Assert.False(File.Exists(dir.File("out.fits")));
    }

    [Theory]
    [InlineData("template")]
    [InlineData("=a.fits")]
    [InlineData("template=")]
    public async Task Run_MalformedAux_IsAUsageError(string value)
    {
        using var dir = new TempDirectory();
        WriteExposure(dir.File("science.fits"), seed: 1);

        CliRun run = await Imred.RunAsync(dir.Path, ["run", "science.fits", "-o", "out.fits", "--aux", value, .. Subtract]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("NAME=PATH", run.Stderr);
    }

    [Theory]
    [InlineData("decorrelateAL")]
    [InlineData("zogy")]
    public async Task Run_DifferencingMappers_InProcessAndTiledGiveTheSameBytes(string mapper)
    {
        using var dir = new TempDirectory();
        WriteExposure(dir.File("science.fits"), seed: 1);
        WriteExposure(dir.File("template.fits"), seed: 2);
        WriteExposure(dir.File("diff.fits"), seed: 3);
        using (var kernel = new GaussianPsf(9, 9, 1.2).ComputeKernelImage(new Point2D(0, 0)))
        using (FileStream file = File.Create(dir.File("kernel.fits")))
        using (var writer = new FitsWriter(file))
        {
            writer.WriteEmptyPrimary();
            foreach (ref double v in kernel.Pixels) v *= 1.03; // an A&L kernel's sum is its photometric scale
            writer.WriteImage(kernel);
        }
        string[] aux = mapper == "zogy"
            ? ["--aux", "template=template.fits"]
            : ["--aux", "science=science.fits", "--aux", "template=template.fits", "--aux", "psfMatchingKernel=kernel.fits"];
        string main = mapper == "zogy" ? "science.fits" : "diff.fits";
        string[] settings = ["--set", $"mapper.name={mapper}", "--set", "scaleByFwhm=false", "--set", "cellSizeX=20", "--set", "cellSizeY=20",
            "--set", "gridStepX=20", "--set", "gridStepY=20", "--set", "borderSizeX=6", "--set", "borderSizeY=6", "--set", "forceEvenSized=true", .. aux];

        CliRun plain = await Imred.RunAsync(dir.Path, ["run", main, "-o", "plain.fits", .. settings]);
        CliRun tiled = await Imred.RunAsync(dir.Path, ["run", main, "-o", "tiled.fits", "--tile-size", "9", .. settings]);

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(tiled.ExitCode == 0, tiled.ToString());
        Assert.Equal(File.ReadAllBytes(dir.File("plain.fits")), File.ReadAllBytes(dir.File("tiled.fits")));
        using Exposure result = ExposureFits.Read(dir.File("plain.fits")), input = ExposureFits.Read(dir.File(main));
        Assert.NotEqual(input.Image[20, 20], result.Image[20, 20]); // the mapper changed the pixels
        Assert.True(float.IsFinite(result.Image[20, 20]));
    }

    [Fact]
    public async Task Run_MissingTemplateFile_ExitsThreeNamingTheFile()
    {
        using var dir = new TempDirectory();
        WriteExposure(dir.File("science.fits"), seed: 1);

        CliRun run = await Imred.RunAsync(dir.Path, ["run", "science.fits", "-o", "out.fits", "--aux", "template=nowhere.fits", .. Subtract]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("nowhere.fits", run.Stderr);
    }
}
