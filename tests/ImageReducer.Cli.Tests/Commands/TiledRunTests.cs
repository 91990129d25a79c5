using ImageReducer.Cli.Tests.Infrastructure;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Tests.Commands;

/// <summary><c>imred run --tile-size</c>: the workflow's steps in-process give the in-process run's bytes (exact: same folds, same order).</summary>
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
        CliRun tiled = await Imred.RunAsync(dir.Path, ["run", demo.Input, "-o", "tiled.fits", "--tile-size", tiles, .. common]);

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(tiled.ExitCode == 0, tiled.ToString());
        Assert.Equal(File.ReadAllBytes(dir.File("plain.fits")), File.ReadAllBytes(dir.File("tiled.fits")));
        Assert.True(File.Exists(dir.File("tiled.fits.metadata.json")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_RefusedForTheCallersSettings_ExitsTwoInProcessAndTiled(bool tiled)
    {
        // forceEvenSized cannot make a cell even on an odd-sized exposure it spans: the settings are at fault, not the input.
        using var dir = new TempDirectory();
        WriteExposure(dir.File("odd.fits"), width: 21, height: 21, withPsf: true);
        string[] settings = ["--set", "scaleByFwhm=false", "--set", "cellSizeX=50", "--set", "cellSizeY=50", "--set", "forceEvenSized=true"];

        CliRun run = await Imred.RunAsync(dir.Path, ["run", "odd.fits", "-o", "out.fits", .. settings, .. tiled ? (string[])["--tile-size", "8"] : []]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("forceEvenSized", run.Stderr);
        Assert.False(File.Exists(dir.File("out.fits")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_NoPsfWhereTheGridScalesByFwhm_ExitsThreeInProcessAndTiled(bool tiled)
    {
        using var dir = new TempDirectory();
        WriteExposure(dir.File("no-psf.fits"), width: 32, height: 24, withPsf: false);

        CliRun run = await Imred.RunAsync(dir.Path, ["run", "no-psf.fits", "-o", "out.fits", .. tiled ? (string[])["--tile-size", "8"] : []]);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("PSF", run.Stderr);
        Assert.False(File.Exists(dir.File("out.fits")));
    }

    private static void WriteExposure(string path, int width, int height, bool withPsf)
    {
        using var exposure = new Exposure(new Box(0, 0, width, height), withPsf ? new GaussianPsf(7, 7, 1.5) : null);
        exposure.Variance.Fill(1);
        using FileStream file = File.Create(path);
        ExposureFits.Write(exposure, file);
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

        CliRun run = await Imred.RunAsync(dir.Path, "run", "az://incoming/a.fits", "-o", "az://outputs/a.fits", "--tile-size", "32",
            "--connection", Path.Combine(dir.Path, "store"), "--set", "mapper.name=add");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(dir.Path, "store", "outputs", "a.fits")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "store", "outputs", "a.fits.metadata.json")));
    }

    [Theory]
    [InlineData("average")]
    [InlineData("none")]
    public async Task Run_PlainAndTiled_WriteTheirMetadataUnderTheSameName(string operation)
    {
        using var dir = new TempDirectory();
        string[] common = ["--set", "mapper.name=" + (operation == "none" ? "mean" : "add"), "--set", $"reducer.reduceOperation={operation}"];
        string[] Out(string name) => operation == "none" ? ["--results", name + ".json"] : ["-o", name + ".fits"];

        CliRun plain = await Imred.RunAsync(dir.Path, ["run", demo.Input, .. Out("plain"), .. common]);
        CliRun tiled = await Imred.RunAsync(dir.Path, ["run", demo.Input, .. Out("tiled"), "--tile-size", "64", .. common]);

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(tiled.ExitCode == 0, tiled.ToString());
        string extension = operation == "none" ? ".json" : ".fits";
        // One rule for both kinds: the output's name plus .metadata.json, nothing else beside it.
        Assert.Equal([$"plain{extension}", $"plain{extension}.metadata.json", $"tiled{extension}", $"tiled{extension}.metadata.json"], dir.FileNames.Order());
    }

    [Fact]
    public async Task Run_Tiled_WritesTheMetadataWhereMetadataSays()
    {
        using var dir = new TempDirectory();

        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "out.fits", "--tile-size", "64", "--metadata", "run-meta.json", "--set", "mapper.name=add");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["out.fits", "run-meta.json"], dir.FileNames.Order());
        Assert.Contains("\"outputSha256\"", File.ReadAllText(dir.File("run-meta.json")));
    }

    [Fact]
    public async Task Run_BlobPathsWithMetadata_IsAUsageError_TheBlobMetadataIsBesideTheOutput()
    {
        using var dir = new TempDirectory();

        CliRun run = await Imred.RunAsync(dir.Path, "run", "az://incoming/a.fits", "-o", "az://outputs/a.fits", "--metadata", "m.json", "--connection", dir.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("az://outputs/a.fits.metadata.json", run.Stderr);
    }

    [Fact]
    public async Task Run_TheOldTilesOption_IsUnknown_RowsPerTileHaveOneName()
    {
        using var dir = new TempDirectory();

        CliRun run = await Imred.RunAsync(dir.Path, "run", demo.Input, "-o", "out.fits", "--tiles", "8");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--tiles", run.Stderr);
        Assert.False(File.Exists(dir.File("out.fits")));
    }

    [Theory]
    [InlineData("gaussian:sigma=2")]
    [InlineData("double-gaussian:sigma1=1.5,sigma2=3,b=0.2")]
    [InlineData("kernel:k.fits")]
    public async Task Run_TiledWithPsf_ForAnInputWithoutPsf_IsByteIdenticalToTheInProcessRun(string spec)
    {
        using var dir = new TempDirectory();
        WriteExposure(dir.File("no-psf.fits"), width: 48, height: 40, withPsf: false);
        using (FileStream k = File.Create(dir.File("k.fits"))) PsfFits.Write(new GaussianPsf(13, 13, 1.8), k);
        string[] common = ["--psf", spec, "--set", "mapper.name=add", "--set", "mapper.addAmount=1"];

        CliRun plain = await Imred.RunAsync(dir.Path, ["run", "no-psf.fits", "-o", "plain.fits", .. common]);
        CliRun tiled = await Imred.RunAsync(dir.Path, ["run", "no-psf.fits", "-o", "tiled.fits", "--tile-size", "8", .. common]);

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(tiled.ExitCode == 0, tiled.ToString());
        Assert.Equal(File.ReadAllBytes(dir.File("plain.fits")), File.ReadAllBytes(dir.File("tiled.fits")));
    }

    [Fact]
    public async Task Run_BlobPathsWithAKernelBlobPsf_IsByteIdenticalToTheInProcessRun()
    {
        using var dir = new TempDirectory();
        string store = Path.Combine(dir.Path, "store");
        Directory.CreateDirectory(Path.Combine(store, "incoming"));
        WriteExposure(Path.Combine(store, "incoming", "a.fits"), width: 40, height: 32, withPsf: false);
        using (FileStream k = File.Create(Path.Combine(store, "incoming", "k.fits"))) PsfFits.Write(new GaussianPsf(11, 11, 1.6), k);
        string[] common = ["--set", "mapper.name=add"];

        CliRun blob = await Imred.RunAsync(dir.Path, ["run", "az://incoming/a.fits", "-o", "az://outputs/a.fits", "--tile-size", "8", "--connection", store,
            "--psf", "kernel:az://incoming/k.fits", .. common]);
        CliRun plain = await Imred.RunAsync(dir.Path, ["run", Path.Combine(store, "incoming", "a.fits"), "-o", "plain.fits",
            "--psf", "kernel:" + Path.Combine(store, "incoming", "k.fits"), .. common]);

        Assert.True(blob.ExitCode == 0, blob.ToString());
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Equal(File.ReadAllBytes(dir.File("plain.fits")), File.ReadAllBytes(Path.Combine(store, "outputs", "a.fits")));
    }

    [Fact]
    public async Task Run_BlobPathsWithALocalKernelFile_IsAUsageError()
    {
        using var dir = new TempDirectory();

        CliRun run = await Imred.RunAsync(dir.Path, "run", "az://incoming/a.fits", "-o", "az://outputs/a.fits", "--psf", "kernel:/tmp/k.fits", "--connection", dir.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("kernel:az://container/name", run.Stderr);
    }
}
