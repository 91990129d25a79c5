using System.Text.Json;
using ImageReducer.Cli.Tests.Infrastructure;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Tests.Commands;

/// <summary><c>--layout</c> reaches the engine's reader: an HST-style file (SCI, ERR, DQ) written with the engine's writer.</summary>
public class LayoutTests
{
    private static void WriteHst(string path)
    {
        using var sci = new Image<float>(24, 16);
        using var err = new Image<float>(24, 16);
        using var dq = new Image<short>(24, 16);
        sci.Fill(10); err.Fill(2);
        using var stream = File.Create(path);
        using var writer = new FitsWriter(stream);
        writer.WriteEmptyPrimary();
        writer.WriteImage(sci, [FitsCard.Create("EXTNAME", "SCI"), FitsCard.Create("EXTVER", 1)]);
        writer.WriteImage(err, [FitsCard.Create("EXTNAME", "ERR"), FitsCard.Create("EXTVER", 1)]);
        writer.WriteImage(dq, [FitsCard.Create("EXTNAME", "DQ"), FitsCard.Create("EXTVER", 1)]);
    }

    [Fact]
    public async Task Inspect_HstFile_DetectsHstLayout()
    {
        using var dir = new TempDirectory();
        WriteHst(dir.File("flt.fits"));
        CliRun run = await Imred.RunAsync(dir.Path, "inspect", "flt.fits", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal("hst", doc.RootElement.GetProperty("layout").GetString());
        // ERR is a standard deviation: variance = 2² = 4 everywhere (exact in float32).
        Assert.Equal(4.0, doc.RootElement.GetProperty("exposure").GetProperty("variance").GetProperty("mean").GetDouble());
    }

    [Fact]
    public async Task Run_HstFileNamedLsst_ExitsThreeNamingTheFile()
    {
        using var dir = new TempDirectory();
        WriteHst(dir.File("flt.fits"));
        CliRun run = await Imred.RunAsync(dir.Path, "run", "flt.fits", "-o", "out.fits", "--layout", "lsst", "--set", "scaleByFwhm=false");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("flt.fits", Assert.Single(run.ErrorLines));
        Assert.Equal(["flt.fits"], dir.FileNames);
    }

    [Fact]
    public async Task Run_HstFileAuto_WritesReferenceLayout()
    {
        using var dir = new TempDirectory();
        WriteHst(dir.File("flt.fits"));
        CliRun run = await Imred.RunAsync(dir.Path, "run", "flt.fits", "-o", "out.fits", "--set", "scaleByFwhm=false", "-q");
        Assert.True(run.ExitCode == 0, run.ToString());
        CliRun inspect = await Imred.RunAsync(dir.Path, "inspect", "out.fits", "--json");
        using var doc = JsonDocument.Parse(inspect.Stdout);
        Assert.Equal("lsst", doc.RootElement.GetProperty("layout").GetString());
    }
}
