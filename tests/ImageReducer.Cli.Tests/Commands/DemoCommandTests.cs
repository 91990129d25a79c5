using System.Text.Json;
using ImageReducer.Cli.Tests.Infrastructure;

namespace ImageReducer.Cli.Tests.Commands;

[Collection(DemoCollection.Name)]
public class DemoCommandTests(DemoFixture demo)
{
    [Fact]
    public void Demo_ExitsZeroAndPrintsWhereFilesAre()
    {
        Assert.True(demo.Run.ExitCode == 0, demo.Run.ToString());
        Assert.Contains(demo.Input, demo.Run.Stdout);
        Assert.Contains(demo.Output, demo.Run.Stdout);
    }

    [Theory]
    [InlineData("input.png")]
    [InlineData("output.png")]
    [InlineData("input-mask.png")]
    [InlineData("grid.png")]
    public void Demo_WritesRealPngPreviews(string name)
    {
        string path = demo.Directory.File(name);
        var (w, h) = Png.Size(path);
        Assert.Equal(w, h);
        Assert.True(w >= DemoFixture.Size, $"{name} is {w}x{h}");
        Assert.True(Png.DistinctColours(path) > 2, $"{name} looks blank");
    }

    [Fact]
    public void Demo_LeavesNoTemporaryFiles()
    {
        Assert.DoesNotContain(demo.Directory.FileNames, n => n.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Demo_MetadataDescribesABackgroundAverageRun()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(demo.Metadata));
        var config = doc.RootElement.GetProperty("config");
        Assert.Equal("background", config.GetProperty("mapper").GetProperty("name").GetString());
        Assert.Equal("average", config.GetProperty("reducer").GetProperty("reduceOperation").GetString());
        Assert.True(doc.RootElement.GetProperty("overlap").GetProperty("max").GetDouble() >= 1);
    }

    [Fact]
    public async Task Demo_SameSeed_GivesByteIdenticalFiles()
    {
        // Determinism is bit-exact by contract: same seed and size, any thread count.
        using var again = new TempDirectory();
        CliRun run = await Imred.RunAsync(again.Path, "demo", "--out", again.Path, "--size", DemoFixture.Size.ToString(),
            "--seed", DemoFixture.Seed.ToString(), "--threads", "1", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(File.ReadAllBytes(demo.Input), File.ReadAllBytes(again.File("input.fits")));
        Assert.Equal(File.ReadAllBytes(demo.Output), File.ReadAllBytes(again.File("output.fits")));
    }

    [Fact]
    public async Task Demo_OtherSeed_GivesOtherPixels()
    {
        using var other = new TempDirectory();
        CliRun run = await Imred.RunAsync(other.Path, "demo", "--out", other.Path, "--size", DemoFixture.Size.ToString(), "--seed", "4", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.NotEqual(File.ReadAllBytes(demo.Input), File.ReadAllBytes(other.File("input.fits")));
    }
}
