using System.Security.Cryptography;
using System.Text.Json;
using ImageReducer.Cli.Tests.Infrastructure;

namespace ImageReducer.Cli.Tests.Commands;

[Collection(DemoCollection.Name)]
public class RunCommandTests(DemoFixture demo)
{
    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task Run_Average_WritesExposureAndMetadataWithContractKeys()
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "out.fits", "--set", "mapper.name=add", "--set", "mapper.addAmount=5");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["out.fits", "out.fits.metadata.json"], dir.FileNames.Order());

        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("out.fits.metadata.json")));
        JsonElement m = doc.RootElement;
        Assert.False(string.IsNullOrEmpty(m.GetProperty("tool").GetProperty("version").GetString()));
        Assert.Equal(demo.Input, m.GetProperty("input").GetProperty("path").GetString());
        Assert.Equal(Sha256(demo.Input), m.GetProperty("input").GetProperty("sha256").GetString());
        Assert.Equal(Sha256(dir.File("out.fits")), m.GetProperty("output").GetProperty("sha256").GetString());
        JsonElement config = m.GetProperty("config");
        Assert.True(config.GetProperty("fwhm").GetDouble() > 0);
        Assert.True(config.GetProperty("pixelSizes").GetProperty("cellSizeX").GetInt32() > 0);
        Assert.Equal(5, config.GetProperty("mapper").GetProperty("addAmount").GetDouble());
        Assert.True(m.GetProperty("cellCount").GetInt32() > 0);
        JsonElement overlap = m.GetProperty("overlap");
        foreach (string key in new[] { "max", "mean", "min", "zeroCount", "zeroPercent" })
            Assert.Equal(JsonValueKind.Number, overlap.GetProperty(key).ValueKind);
        JsonElement timings = m.GetProperty("timings");
        foreach (string key in new[] { "read_s", "map_s", "reduce_s", "write_s", "total_s" })
            Assert.True(timings.GetProperty(key).GetDouble() >= 0, key);
    }

    [Fact]
    public async Task Run_Json_PrintsOnlyTheMetadataOnStdout()
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "out.fits", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal(File.ReadAllText(dir.File("out.fits.metadata.json")).Trim(), run.Stdout.Trim());
    }

    [Fact]
    public async Task Run_CopyWithMetadataOption_WritesMetadataWhereAsked()
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "out.fits", "--metadata", "meta.json",
            "--set", "reducer.reduceOperation=copy", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["meta.json", "out.fits"], dir.FileNames.Order());
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("meta.json")));
        Assert.False(doc.RootElement.TryGetProperty("overlap", out _), "overlap statistics are for average only");
    }

    [Fact]
    public async Task Run_ThreadCount_DoesNotChangeTheOutputBytes()
    {
        using var dir = new TempDirectory();
        CliRun one = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "one.fits", "--threads", "1", "--quiet");
        CliRun four = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "four.fits", "--threads", "4", "--quiet");
        Assert.True(one.ExitCode == 0 && four.ExitCode == 0, one + "\n" + four);
        Assert.Equal(File.ReadAllBytes(dir.File("one.fits")), File.ReadAllBytes(dir.File("four.fits")));
    }

    [Fact]
    public async Task Run_None_WritesOneResultPerCellInOrder()
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "--results", "stats.json",
            "--set", "mapper.name=mean", "--set", "reducer.reduceOperation=none");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["stats.json", "stats.json.metadata.json"], dir.FileNames.Order());
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json")));
        JsonElement[] cells = doc.RootElement.EnumerateArray().ToArray();
        Assert.NotEmpty(cells);
        for (int i = 0; i < cells.Length; i++)
        {
            Assert.Equal(i, cells[i].GetProperty("index").GetInt32());
            Assert.Equal(4, cells[i].GetProperty("bbox").GetArrayLength());
            Assert.Equal(4, cells[i].GetProperty("expandedBbox").GetArrayLength());
            Assert.Equal(JsonValueKind.Number, cells[i].GetProperty("value").ValueKind);
        }
        using var meta = JsonDocument.Parse(File.ReadAllText(dir.File("stats.json.metadata.json")));
        Assert.Equal(cells.Length, meta.RootElement.GetProperty("cellCount").GetInt32());
        Assert.Equal("results", meta.RootElement.GetProperty("output").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Run_CoaddPsf_WritesPsfFileThatPsfCommandReads()
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "coadd.fits", "--set", "mapper.name=psf", "--set", "reducer.reduceOperation=coaddPsf");
        Assert.True(run.ExitCode == 0, run.ToString());
        CliRun psf = await Imred.RunAsync(dir.Path, "psf", "coadd.fits", "--at", "48,48", "--json");
        Assert.True(psf.ExitCode == 0, psf.ToString());
        using var doc = JsonDocument.Parse(psf.Stdout);
        double sum = doc.RootElement.GetProperty("points")[0].GetProperty("kernel").EnumerateArray()
            .SelectMany(r => r.EnumerateArray()).Sum(v => v.GetDouble());
        Assert.Equal(1.0, sum, 1e-9); // a CoaddPsf image is normalised to unit sum (double precision)
    }

    [Fact]
    public async Task Run_ValueMapperWithAverage_FailsAndLeavesOldOutputUntouched()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("out.fits"), "previous result");
        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "out.fits", "--set", "mapper.name=mean");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("reduceOperation: none", Assert.Single(run.ErrorLines, l => l.StartsWith("imred: error:", StringComparison.Ordinal)));
        Assert.Equal(["out.fits"], dir.FileNames);
        Assert.Equal("previous result", File.ReadAllText(dir.File("out.fits")));
    }

    [Fact]
    public async Task Run_PsfOverride_ChangesTheGrid()
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "out.fits", "--psf", "gaussian:sigma=1.0", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("out.fits.metadata.json")));
        // FWHM of a sigma-1 Gaussian is about 2.35 px; the demo's own PSF is near 4.2 px.
        Assert.InRange(doc.RootElement.GetProperty("config").GetProperty("fwhm").GetDouble(), 2.0, 2.7);
    }

    [Fact]
    public async Task Run_ConfigFileAndSet_SetWins()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("c.json"), """{"scaleByFwhm": false, "cellSizeX": 30, "cellSizeY": 30, "borderSizeX": 4, "borderSizeY": 4, "mapper": {"name": "add", "addAmount": 1}}""");
        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "out.fits", "--config", "c.json", "--set", "cellSizeX=40", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("out.fits.metadata.json")));
        JsonElement sizes = doc.RootElement.GetProperty("config").GetProperty("pixelSizes");
        Assert.Equal(40, sizes.GetProperty("cellSizeX").GetInt32());
        Assert.Equal(30, sizes.GetProperty("cellSizeY").GetInt32());
    }

    [Fact]
    public async Task Run_RedirectedStderr_PrintsOnePlainLinePerPhase()
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "out.fits");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["read", "map", "reduce", "write"], run.ErrorLines.Select(l => l.Split(' ')[1]).ToArray());
        Assert.All(run.ErrorLines, l => Assert.StartsWith("imred: ", l));
        Assert.Contains("cells/s", run.ErrorLines[1]);
    }

    [Fact]
    public async Task Run_Quiet_PrintsNothingOnStderr()
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "out.fits", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Inspect_PsfFile_ReportsLayoutPsf()
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "coadd.fits", "--set", "mapper.name=psf", "--set", "reducer.reduceOperation=coaddPsf", "-q");
        Assert.True(run.ExitCode == 0, run.ToString());
        CliRun inspect = await Imred.RunAsync(dir.Path, "inspect", "coadd.fits", "--json");
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        using var doc = JsonDocument.Parse(inspect.Stdout);
        Assert.Equal("psf", doc.RootElement.GetProperty("layout").GetString());
        Assert.Equal("coadd", doc.RootElement.GetProperty("psf").GetProperty("kind").GetString());
    }
}
