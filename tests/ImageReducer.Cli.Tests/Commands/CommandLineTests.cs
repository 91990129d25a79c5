using ImageReducer.Cli.Tests.Infrastructure;

namespace ImageReducer.Cli.Tests.Commands;

/// <summary>Parsing, help and usage errors of the built CLI (no input data needed).</summary>
public class CommandLineTests
{
    private static readonly string Here = Path.GetTempPath();

    [Fact]
    public async Task RootHelp_ListsEveryCommand_ExitsZero()
    {
        CliRun run = await Imred.RunAsync(Here, "--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string verb in new[] { "run", "grid", "psf", "inspect", "preview", "demo" })
            Assert.Contains($"  {verb} ", run.Stdout);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("grid")]
    [InlineData("psf")]
    [InlineData("inspect")]
    [InlineData("preview")]
    [InlineData("demo")]
    public async Task CommandHelp_ShowsExamples_ExitsZero(string verb)
    {
        CliRun run = await Imred.RunAsync(Here, verb, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Examples:", run.Stdout);
        Assert.Contains($"imred {verb}", run.Stdout);
    }

    [Fact]
    public async Task UnknownOption_ExitsTwoWithOneErrorLine()
    {
        CliRun run = await Imred.RunAsync(Here, "grid", "x.fits", "--bogus");
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("imred: error: ", line);
        Assert.Contains("--bogus", line);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task NoCommand_ExitsTwo()
    {
        CliRun run = await Imred.RunAsync(Here);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("imred: error: ", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task BadLayout_ExitsTwo()
    {
        CliRun run = await Imred.RunAsync(Here, "inspect", "x.fits", "--layout", "jwst");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("jwst", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Run_UnknownSetKey_ExitsTwoNamingKey()
    {
        CliRun run = await Imred.RunAsync(Here, "run", "missing.fits", "-o", "o.fits", "--set", "cellSizeZ=3");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'cellSizeZ'", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Run_BadSetValue_ExitsTwoNamingKey()
    {
        CliRun run = await Imred.RunAsync(Here, "run", "missing.fits", "-o", "o.fits", "--set", "cellSizeX=-4");
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("imred: error: --set cellSizeX=-4", line);
        Assert.Contains("cellSizeX must be > 0", line);
    }

    [Fact]
    public async Task Run_UnknownMapper_ExitsTwoNamingMapperName()
    {
        CliRun run = await Imred.RunAsync(Here, "run", "missing.fits", "-o", "o.fits", "--set", "mapper.name=nosuchmapper");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nosuchmapper", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Run_BadPsfSpec_ExitsTwo()
    {
        CliRun run = await Imred.RunAsync(Here, "run", "missing.fits", "-o", "o.fits", "--psf", "gaussian:sigma=zero");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--psf 'gaussian:sigma=zero'", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Run_NoneWithoutResults_ExitsTwo()
    {
        CliRun run = await Imred.RunAsync(Here, "run", "missing.fits", "--set", "reducer.reduceOperation=none", "--set", "mapper.name=mean");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--results", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Run_StitchingWithoutOutput_ExitsTwo()
    {
        CliRun run = await Imred.RunAsync(Here, "run", "missing.fits");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("-o/--output is required", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Run_ZeroThreads_ExitsTwo()
    {
        CliRun run = await Imred.RunAsync(Here, "run", "missing.fits", "-o", "o.fits", "--threads", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--threads", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Run_MissingInput_ExitsThreeNamingFile()
    {
        using var dir = new TempDirectory();
        CliRun run = await Imred.RunAsync(dir.Path, "run", "missing.fits", "-o", "o.fits");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("missing.fits: no such file", Assert.Single(run.ErrorLines));
        Assert.Empty(dir.FileNames);
    }

    [Fact]
    public async Task Run_MalformedFits_ExitsThreeAndWritesNothing()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.fits"), "this is not FITS at all");
        CliRun run = await Imred.RunAsync(dir.Path, "run", "bad.fits", "-o", "o.fits");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("bad.fits", Assert.Single(run.ErrorLines));
        Assert.Equal(["bad.fits"], dir.FileNames);
    }

    [Fact]
    public async Task Verbose_AddsDetailsAfterTheOneLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.fits"), "this is not FITS at all");
        CliRun run = await Imred.RunAsync(dir.Path, "inspect", "bad.fits", "--verbose");
        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("imred: error: ", run.ErrorLines[0]);
        Assert.True(run.ErrorLines.Length > 1, run.ToString());
        Assert.Contains(run.ErrorLines, l => l.StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Psf_BadPoint_ExitsTwo()
    {
        CliRun run = await Imred.RunAsync(Here, "psf", "missing.fits", "--at", "1;2");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--at '1;2'", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Psf_NoPoint_ExitsTwo()
    {
        CliRun run = await Imred.RunAsync(Here, "psf", "missing.fits");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--at", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Demo_SizeOutOfRange_ExitsTwo()
    {
        CliRun run = await Imred.RunAsync(Here, "demo", "--size", "4");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--size", Assert.Single(run.ErrorLines));
    }
}
