using System.Text.Json;
using ImageReducer.Cli.Tests.Infrastructure;

namespace ImageReducer.Cli.Tests.Commands;

/// <summary>grid, psf, inspect and preview on the demo exposure.</summary>
[Collection(DemoCollection.Name)]
public class InspectionCommandTests(DemoFixture demo)
{
    [Fact]
    public async Task GridJson_HasFwhmAndCellsWithBoxes()
    {
        CliRun run = await Imred.RunAsync(demo.Directory.Path, "grid", demo.Input, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.True(doc.RootElement.GetProperty("fwhm").GetDouble() > 0);
        JsonElement[] cells = doc.RootElement.GetProperty("cells").EnumerateArray().ToArray();
        Assert.NotEmpty(cells);
        for (int i = 0; i < cells.Length; i++)
        {
            Assert.Equal(i, cells[i].GetProperty("index").GetInt32());
            int[] b = cells[i].GetProperty("bbox").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            int[] e = cells[i].GetProperty("expandedBbox").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            Assert.True(e[0] <= b[0] && e[1] <= b[1] && e[2] >= b[2] && e[3] >= b[3], $"cell {i}: expanded box contains the cell");
        }
    }

    [Fact]
    public async Task GridJson_CellCountMatchesTheRunMetadata()
    {
        CliRun run = await Imred.RunAsync(demo.Directory.Path, "grid", demo.Input, "--json", "--set", "mapper.name=background");
        using var grid = JsonDocument.Parse(run.Stdout);
        using var meta = JsonDocument.Parse(File.ReadAllText(demo.Metadata));
        Assert.Equal(meta.RootElement.GetProperty("cellCount").GetInt32(), grid.RootElement.GetProperty("cells").GetArrayLength());
    }

    [Fact]
    public async Task GridJson_ExplicitCentroids_HasNullFwhm()
    {
        CliRun run = await Imred.RunAsync(demo.Directory.Path, "grid", demo.Input, "--json",
            "--set", "cellCentroidsX=[20,60]", "--set", "cellCentroidsY=[20,60]", "--set", "cellSizeX=20", "--set", "cellSizeY=20");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("fwhm").ValueKind);
        Assert.Equal(2, doc.RootElement.GetProperty("cells").GetArrayLength());
    }

    [Fact]
    public async Task GridPng_WritesARealImage()
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "grid", demo.Input, "--png", "grid.png", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        var (w, h) = Png.Size(dir.File("grid.png"));
        Assert.True(w >= 900 && h == w, $"{w}x{h}");
    }

    [Fact]
    public async Task PsfJson_RowsRunFromMinYToMaxY()
    {
        CliRun run = await Imred.RunAsync(demo.Directory.Path, "psf", demo.Input, "--at", "10,20", "--at", "70.5,30.25", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        JsonElement[] points = doc.RootElement.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(2, points.Length);
        Assert.Equal(70.5, points[1].GetProperty("x").GetDouble());
        foreach (JsonElement p in points)
        {
            int[] b = p.GetProperty("bbox").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            JsonElement kernel = p.GetProperty("kernel");
            Assert.Equal(b[3] - b[1] + 1, kernel.GetArrayLength());
            Assert.Equal(b[2] - b[0] + 1, kernel[0].GetArrayLength());
            // The PSF image is placed at floor(p + 0.5): the box centre is the point's nearest pixel.
            Assert.Equal(Math.Floor(p.GetProperty("x").GetDouble() + 0.5), (b[0] + b[2]) / 2.0);
        }
    }

    [Fact]
    public async Task PsfOutput_WritesOneImageHduPerPoint()
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "psf", demo.Input, "--at", "10,20", "--at", "50,50", "--at", "90,90", "-o", "k.fits");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var reader = Engine.Fits.FitsReader.Open(dir.File("k.fits"));
        Assert.Equal(3, reader.Hdus.Count(h => h.IsImage2D));
    }

    [Fact]
    public async Task InspectJson_DescribesTheDemoExposure()
    {
        CliRun run = await Imred.RunAsync(demo.Directory.Path, "inspect", demo.Input, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        JsonElement r = doc.RootElement;
        Assert.Equal("lsst", r.GetProperty("layout").GetString());
        Assert.Equal(DemoFixture.Size, r.GetProperty("exposure").GetProperty("width").GetInt32());
        var planes = r.GetProperty("exposure").GetProperty("maskPlanes").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("pixels").GetInt64());
        Assert.True(planes["SAT"] > 0, "the demo has saturated stars");
        Assert.True(planes["CR"] > 0, "the demo has cosmic rays");
        Assert.Equal("varyingGaussian", r.GetProperty("psf").GetProperty("kind").GetString());
        Assert.InRange(r.GetProperty("psf").GetProperty("fwhm").GetDouble(), 3.5, 5.0);
        Assert.Equal("RA---TAN", r.GetProperty("wcs").GetProperty("ctype")[0].GetString());
        Assert.True(r.GetProperty("hdus").GetArrayLength() >= 4);
    }

    [Fact]
    public async Task InspectText_NamesLayoutAndPsf()
    {
        CliRun run = await Imred.RunAsync(demo.Directory.Path, "inspect", demo.Input);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("layout    lsst", run.Stdout);
        Assert.Contains("PSF       varyingGaussian", run.Stdout);
    }

    [Theory]
    [InlineData("image", "zscale")]
    [InlineData("image", "asinh")]
    [InlineData("image", "linear")]
    [InlineData("mask", "zscale")]
    [InlineData("variance", "linear")]
    public async Task Preview_WritesARealPng(string plane, string stretch)
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "preview", demo.Input, "-o", "p.png", "--plane", plane, "--stretch", stretch);
        Assert.True(run.ExitCode == 0, run.ToString());
        var (w, h) = Png.Size(dir.File("p.png"));
        Assert.True(w >= 512 && w == h, $"{w}x{h}");
        Assert.True(Png.DistinctColours(dir.File("p.png")) > 1);
    }

    [Fact]
    public async Task Preview_NotFits_ExitsThreeAndWritesNoPng()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("x.fits"), "SIMPLE  =                    T / truncated");
        CliRun run = await Imred.RunAsync(dir.Path, "preview", "x.fits", "-o", "p.png");
        Assert.Equal(3, run.ExitCode);
        Assert.Equal(["x.fits"], dir.FileNames);
    }
}
