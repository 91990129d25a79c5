using System.Text.Json;
using ImageReducer.Cli.Tests.Infrastructure;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Tests.Commands;

/// <summary>Inputs without a PSF: a plain FITS image written by the engine's writer.</summary>
public class PlainInputTests
{
    private static void WritePlain(string path, int size)
    {
        using var image = new Image<float>(size, size);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                image[x, y] = 100 + x + 0.5f * y;
        using var stream = File.Create(path);
        using var writer = new FitsWriter(stream);
        writer.WriteImage(image);
    }

    [Fact]
    public async Task Run_NoPsfWithFwhmScaling_ExitsThreeSuggestingPsf()
    {
        using var dir = new TempDirectory();
        WritePlain(dir.File("plain.fits"), 40);
        CliRun run = await Imred.RunAsync(dir.Path, "run", "plain.fits", "-o", "out.fits");
        Assert.Equal(3, run.ExitCode);
        // stderr also holds the progress line of the read phase, which succeeded.
        Assert.Contains("--psf", Assert.Single(run.ErrorLines, l => l.StartsWith("imred: error: ", StringComparison.Ordinal)));
        Assert.Equal(["plain.fits"], dir.FileNames);
    }

    [Fact]
    public async Task Run_NoPsfWithPsfOption_Succeeds()
    {
        using var dir = new TempDirectory();
        WritePlain(dir.File("plain.fits"), 40);
        CliRun run = await Imred.RunAsync(dir.Path, "run", "plain.fits", "-o", "out.fits", "--psf", "gaussian:sigma=1.5", "--layout", "plain",
            "--set", "mapper.name=add", "--set", "mapper.addAmount=5", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("out.fits.metadata.json")));
        Assert.Equal("plain", doc.RootElement.GetProperty("input").GetProperty("layout").GetString());
        using var output = ExposureFits.Read(dir.File("out.fits"));
        // add 5 then average: exact in float32 for these small integers and halves.
        Assert.Equal(100 + 3 + 0.5f * 7 + 5, output.Image[3, 7]);
        Assert.NotNull(output.Psf);
    }

    [Fact]
    public async Task Run_NoPsfWithPixelSizes_Succeeds()
    {
        using var dir = new TempDirectory();
        WritePlain(dir.File("plain.fits"), 40);
        CliRun run = await Imred.RunAsync(dir.Path, "run", "plain.fits", "-o", "out.fits", "--set", "scaleByFwhm=false", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("out.fits.metadata.json")));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("config").GetProperty("fwhm").ValueKind);
    }

    [Fact]
    public async Task Run_MapperFailingInTheFusedRun_ReadsTheInputAgainAndReportsTheCell()
    {
        // PSF matching on an image without a PSF fails in every cell: the in-place run stops, reads the file
        // again and the classic fold reports the lowest failing cell, as a run that never wrote the input does.
        using var dir = new TempDirectory();
        WritePlain(dir.File("plain.fits"), 64);
        CliRun run = await Imred.RunAsync(dir.Path, "run", "plain.fits", "-o", "out.fits", "--layout", "plain", "--set", "scaleByFwhm=false",
            "--set", "cellSizeX=16", "--set", "cellSizeY=16", "--set", "gridStepX=16", "--set", "gridStepY=16",
            "--set", "mapper.name=convolve", "--set", "mapper.targetSigma=3", "--threads", "2");
        Assert.Equal(3, run.ExitCode);
        string error = Assert.Single(run.ErrorLines, l => l.StartsWith("imred: error: ", StringComparison.Ordinal));
        Assert.Contains("Cell 0: PSF matching", error);
        Assert.Equal(["plain.fits"], dir.FileNames);
    }

    [Fact]
    public async Task Psf_FileWithoutPsf_ExitsThree()
    {
        using var dir = new TempDirectory();
        WritePlain(dir.File("plain.fits"), 16);
        CliRun run = await Imred.RunAsync(dir.Path, "psf", "plain.fits", "--at", "3,3");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("plain.fits", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task KernelPsfSpec_PlainImage_IsUsedAsKernel()
    {
        using var dir = new TempDirectory();
        WritePlain(dir.File("plain.fits"), 40);
        using (var kernel = new Image<float>(new Box(0, 0, 5, 5)))
        {
            kernel[2, 2] = 1; kernel[1, 2] = kernel[3, 2] = kernel[2, 1] = kernel[2, 3] = 0.5f;
            using var stream = File.Create(dir.File("k.fits"));
            using var writer = new FitsWriter(stream);
            writer.WriteImage(kernel);
        }
        CliRun run = await Imred.RunAsync(dir.Path, "grid", "plain.fits", "--json", "--psf", "kernel:k.fits");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.True(doc.RootElement.GetProperty("fwhm").GetDouble() > 0);
    }
}
