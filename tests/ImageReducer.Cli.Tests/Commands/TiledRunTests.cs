using ImageReducer.Cli.Tests.Infrastructure;

namespace ImageReducer.Cli.Tests.Commands;

/// <summary><c>imred run --tiles</c>: the workflow's steps in-process give the in-process run's bytes (exact: same folds, same order).</summary>
[Collection(DemoCollection.Name)]
public class TiledRunTests(DemoFixture demo)
{
    [Theory]
    [InlineData("average", "7")]
    [InlineData("copy", "1000")]
    public async Task Run_Tiles_OutputIsByteIdenticalToTheInProcessRun(string operation, string tiles)
    {
        using var dir = new TempDirectory();
        string[] common = ["--set", "mapper.name=add", "--set", "mapper.addAmount=2", "--set", $"reducer.reduceOperation={operation}"];

        CliRun plain = await Imred.RunAsync(dir.Path, ["run", demo.Input, "-o", "plain.fits", .. common]);
        CliRun tiled = await Imred.RunAsync(dir.Path, ["run", demo.Input, "-o", "tiled.fits", "--tiles", tiles, .. common]);

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(tiled.ExitCode == 0, tiled.ToString());
        Assert.Equal(File.ReadAllBytes(dir.File("plain.fits")), File.ReadAllBytes(dir.File("tiled.fits")));
        Assert.True(File.Exists(dir.File("tiled.fits.metadata.json")));
    }

    [Fact]
    public async Task Run_BlobInputWithLocalOutput_IsAUsageError()
    {
        using var dir = new TempDirectory();

        CliRun run = await Imred.RunAsync(dir.Path, "run", "az://incoming/a.fits", "-o", "out.fits", "--connection", dir.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("az://", run.Stderr);
    }

    [Fact]
    public async Task Run_BlobPathsOnAFolderStore_WritesTheOutputBlob()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "store", "incoming"));
        File.Copy(demo.Input, Path.Combine(dir.Path, "store", "incoming", "a.fits"));

        CliRun run = await Imred.RunAsync(dir.Path, "run", "az://incoming/a.fits", "-o", "az://outputs/a.fits", "--tiles", "32",
            "--connection", Path.Combine(dir.Path, "store"), "--set", "mapper.name=add");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(dir.Path, "store", "outputs", "a.fits")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "store", "outputs", "a.fits.metadata.json")));
    }
}
