using System.Text.Json.Nodes;
using ImageReducer.Cli.Tests.Infrastructure;

namespace ImageReducer.Cli.Tests.Commands;

/// <summary>
/// The native imred (the linux-x64 publish, compiled ahead of time) against the managed build published beside it: every local
/// command writes the same bytes, prints the same documents and fails with the same message and exit code; the commands that
/// need the managed runtime are handed to it and behave as it does; without it, the native build says where it looked.
/// </summary>
[Collection(NativeImredCollection.Name)]
public sealed class NativeImredTests(NativeImredFixture imred) : IDisposable
{
    private readonly List<TempDirectory> folders = [];

    public void Dispose()
    {
        foreach (TempDirectory folder in folders) folder.Dispose();
    }

    [Fact]
    public void Publish_IsANativeExecutable_WithTheManagedBuildBesideIt()
    {
        string folder = Path.GetDirectoryName(imred.Native)!;
        byte[] head = File.ReadAllBytes(imred.Native)[..4];
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, head);
        Assert.False(File.Exists(Path.Combine(folder, "ImageReducer.Cli.dll")), "the native folder holds managed code");
        Assert.False(File.Exists(Path.Combine(folder, "ImageReducer.Cli.runtimeconfig.json")), "the native executable is not native");
        Assert.True(File.Exists(Path.Combine(folder, "managed", "ImageReducer.Cli.dll")), "no managed build beside the native one");
    }

    public static TheoryData<string, string[]> Runs() => new()
    {
        { "add-average", ["--set", "cellSizeX=41", "--set", "cellSizeY=41", "--set", "gridStepX=40", "--set", "gridStepY=40", "--set", "borderSizeX=8",
            "--set", "borderSizeY=8", "--set", "adjustGridOption=none", "--set", "scaleByFwhm=false",
            "--set", "mapper.name=add", "--set", "mapper.addAmount=1", "--set", "reducer.reduceOperation=average"] },
        { "background-sum", ["--set", "mapper.name=background", "--set", "mapper.order=1", "--set", "mapper.statistic=clippedMean",
            "--set", "reducer.reduceOperation=sum", "--threads", "1"] },
        { "identity-copy", ["--set", "mapper.name=identity", "--set", "reducer.reduceOperation=copy", "--set", "adjustGridOption=spacing"] },
        { "psf-coaddPsf", ["--set", "mapper.name=psf", "--set", "reducer.reduceOperation=coaddPsf"] },
        { "config-file-psf-metadata", ["--config", "{dir}/c.json", "--psf", "double-gaussian:sigma1=1.5,sigma2=3,b=0.1", "--metadata", "{dir}/m.json"] },
        { "zogy-aux", ["--set", "mapper.name=zogy", "--aux", "template={input}", "--set", "reducer.reduceOperation=average"] },
        { "convolve-average", ["--set", "mapper.name=convolve", "--set", "mapper.sigma=1.5", "--set", "reducer.reduceOperation=average", "--threads", "2"] },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public async Task Run_WritesTheBytesAndMetadataTheManagedBuildWrites(string name, string[] options)
    {
        var (native, managed) = await BothAsync(dir =>
        {
            File.WriteAllText(Path.Combine(dir, "c.json"), """{ "cellSizeX": 30, "cellSizeY": 30, "mapper": { "name": "background", "order": 1 }, "reducer": { "reduceOperation": "average" } }""");
            File.WriteAllBytes(Path.Combine(dir, "out.fits"), [1, 2, 3]); // an existing output is replaced whole
            return ["run", imred.Input, "-o", Path.Combine(dir, "out.fits"), "--json",
                .. options.Select(o => o.Replace("{dir}", dir).Replace("{input}", imred.Input))];
        });
        Assert.True(native.Run.ExitCode == 0, $"{name}: {native.Run}");
        Assert.True(managed.Run.ExitCode == 0, $"{name}: {managed.Run}");
        Assert.Equal(File.ReadAllBytes(managed.File("out.fits")), File.ReadAllBytes(native.File("out.fits")));
        string metadata = options.Contains("--metadata") ? "m.json" : "out.fits.metadata.json";
        Assert.Equal(Normalised(managed, File.ReadAllText(managed.File(metadata))), Normalised(native, File.ReadAllText(native.File(metadata))));
        Assert.Equal(managed.Directory.FileNames.Order(), native.Directory.FileNames.Order()); // no temporaries left
        Assert.Equal(Normalised(managed, managed.Run.Stdout), Normalised(native, native.Run.Stdout));
    }

    public static TheoryData<string[]> Documents() => new()
    {
        { new[] { "inspect", "{input}", "--json" } },
        { new[] { "inspect", "{input}" } },
        { new[] { "grid", "{input}", "--json", "--set", "cellSizeX=50", "--set", "cellSizeY=30" } },
        { new[] { "grid", "{input}" } },
        { new[] { "psf", "{input}", "--at", "10,20", "--at", "70.5,30.25", "--json" } },
        { new[] { "psf", "{input}", "--at", "64,64" } },
        { new[] { "--version" } },
        { new[] { "--help" } },
        { new[] { "run", "--help" } },
        { new[] { "worker", "--help" } },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Command_PrintsWhatTheManagedBuildPrints(string[] args)
    {
        var (native, managed) = await BothAsync(_ => args.Select(a => a.Replace("{input}", imred.Input)).ToArray());
        Assert.True(managed.Run.ExitCode == 0, managed.Run.ToString());
        Assert.Equal(managed.Run.ExitCode, native.Run.ExitCode);
        Assert.Equal(managed.Run.Stdout, native.Run.Stdout);
        Assert.Equal(managed.Run.Stderr, native.Run.Stderr);
    }

    public static TheoryData<string[]> Failures() => new()
    {
        { new[] { "run", "{input}", "-o", "x.fits", "--set", "mapper.name=add", "--set", "mapper.bogus=1" } },
        { new[] { "run", "{input}", "-o", "x.fits", "--set", "mapper.name=add", "--set", "mapper.addAmount=\"one\"" } },
        { new[] { "run", "{input}", "-o", "x.fits", "--set", "mapper.name=background", "--set", "mapper.statistic=mode" } },
        { new[] { "run", "{input}", "-o", "x.fits", "--set", "mapper.name=background", "--set", "mapper.binSize=[1]" } },
        { new[] { "run", "{input}", "-o", "x.fits", "--set", "mapper.name=backgroud" } },
        { new[] { "run", "{input}", "-o", "x.fits", "--set", "reducer.reduceOperation=median" } },
        { new[] { "run", "{input}", "-o", "x.fits", "--set", "adjustGridOption=sometimes" } },
        { new[] { "run", "{input}", "-o", "x.fits", "--set", "cellSizeX=-1" } },
        { new[] { "run", "missing.fits", "-o", "x.fits" } },
        { new[] { "run", "{notfits}", "-o", "x.fits" } },
        { new[] { "inspect", "{notfits}" } },
        { new[] { "grid", "{input}", "--set", "gridStepX=abc" } },
        { new[] { "run", "{input}" } },
        { new[] { "frobnicate" } },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Failure_SaysWhatTheManagedBuildSays_AndWritesNothing(string[] args)
    {
        var (native, managed) = await BothAsync(dir =>
        {
            string notFits = Path.Combine(dir, "notfits.fits");
            File.WriteAllText(notFits, "SIMPLE  = this is not a FITS file");
            return args.Select(a => a.Replace("{input}", imred.Input).Replace("{notfits}", notFits)).ToArray();
        });
        Assert.NotEqual(0, managed.Run.ExitCode);
        Assert.Equal(managed.Run.ExitCode, native.Run.ExitCode);
        Assert.Equal(Normalised(managed, managed.Run.Stderr), Normalised(native, native.Run.Stderr));
        Assert.Equal(["notfits.fits"], native.Directory.FileNames);
    }

    [Fact]
    public async Task Preview_WritesThePngTheManagedBuildWrites()
    {
        var (native, managed) = await BothAsync(dir => ["preview", imred.Input, "-o", Path.Combine(dir, "p.png"), "--stretch", "asinh"]);
        Assert.True(native.Run.ExitCode == 0, native.Run.ToString());
        Assert.Equal(File.ReadAllBytes(managed.File("p.png")), File.ReadAllBytes(native.File("p.png")));
    }

    [Fact]
    public async Task Demo_WritesTheFilesTheManagedBuildWrites()
    {
        var (native, managed) = await BothAsync(dir => ["demo", "--out", dir, "--size", "96", "--seed", "3"]);
        Assert.True(native.Run.ExitCode == 0, native.Run.ToString());
        Assert.Equal(managed.Directory.FileNames.Order(), native.Directory.FileNames.Order());
        foreach (string file in new[] { "input.fits", "output.fits", "input.png", "output.png", "grid.png" })
            Assert.Equal(File.ReadAllBytes(managed.File(file)), File.ReadAllBytes(native.File(file)));
    }

    [Fact]
    public async Task TiledRun_IsHandedToTheManagedBuild_AndWritesItsBytes()
    {
        var (native, managed) = await BothAsync(dir => ["run", imred.Input, "-o", Path.Combine(dir, "t.fits"), "--tile-size", "64",
            "--set", "mapper.name=add", "--set", "reducer.reduceOperation=average"]);
        Assert.True(native.Run.ExitCode == 0, native.Run.ToString());
        Assert.Contains("tiles", native.Run.Stdout);
        Assert.Equal(File.ReadAllBytes(managed.File("t.fits")), File.ReadAllBytes(native.File("t.fits")));
    }

    [Fact]
    public async Task PerCellResults_AreHandedToTheManagedBuild_AndWriteItsJson()
    {
        var (native, managed) = await BothAsync(dir => ["run", imred.Input, "--results", Path.Combine(dir, "r.json"),
            "--set", "mapper.name=stats", "--set", "reducer.reduceOperation=none"]);
        Assert.True(native.Run.ExitCode == 0, native.Run.ToString());
        Assert.Equal(File.ReadAllText(managed.File("r.json")), File.ReadAllText(native.File("r.json")));
        Assert.Contains("\"value\"", File.ReadAllText(native.File("r.json")));
    }

    public static TheoryData<string[]> HandedOff() => new()
    {
        { new[] { "worker", "--connection", "not-a-connection-string" } },
        { new[] { "status", "abc", "--endpoint", "http://127.0.0.1:1" } },
        { new[] { "submit", "in/x.fits", "--endpoint", "http://127.0.0.1:1" } },
        { new[] { "night", "2026-12-07/", "--endpoint", "http://127.0.0.1:1" } },
    };

    [Theory]
    [MemberData(nameof(HandedOff))]
    public async Task ManagedOnlyCommand_IsHandedToTheManagedBuild_WithItsMessageAndExitCode(string[] args)
    {
        var (native, managed) = await BothAsync(_ => args);
        Assert.NotEqual(0, managed.Run.ExitCode);
        Assert.Equal(managed.Run.ExitCode, native.Run.ExitCode);
        Assert.Equal(managed.Run.Stderr, native.Run.Stderr);
        Assert.DoesNotContain("managed build", native.Run.Stderr);
    }

    [Fact]
    public async Task ManagedOnlyCommand_WithoutTheManagedBuild_SaysWhereItLooked()
    {
        using var alone = new TempDirectory();
        string copy = alone.File("ImageReducer.Cli");
        File.Copy(imred.Native, copy);
        File.SetUnixFileMode(copy, File.GetUnixFileMode(imred.Native));
        CliRun run = await Imred.RunExecutableAsync(copy, alone.Path, "worker", "--connection", "UseDevelopmentStorage=true");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"imred worker runs in the managed build of imred, which this native build expects at {Path.Combine(alone.Path, "managed", "ImageReducer.Cli")}", run.Stderr);
        Assert.Contains("-p:PublishAot=false", run.Stderr);

        // The local commands need nothing beside it.
        CliRun inspect = await Imred.RunExecutableAsync(copy, alone.Path, "inspect", imred.Input);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
    }

    private sealed record Side(TempDirectory Directory, CliRun Run)
    {
        public string File(string name) => Directory.File(name);
    }

    /// <summary>Runs the same command line (made for each side's own folder) with the native and the managed build, one after the other.</summary>
    private async Task<(Side Native, Side Managed)> BothAsync(Func<string, string[]> args)
    {
        var nativeDir = new TempDirectory();
        var managedDir = new TempDirectory();
        folders.Add(nativeDir);
        folders.Add(managedDir);
        CliRun native = await Imred.RunExecutableAsync(imred.Native, nativeDir.Path, args(nativeDir.Path));
        CliRun managed = await Imred.RunExecutableAsync(imred.Managed, managedDir.Path, args(managedDir.Path));
        return (new Side(nativeDir, native), new Side(managedDir, managed));
    }

    /// <summary>A document with the side's folder replaced and its timings removed (the only things that differ between runs).</summary>
    private static string Normalised(Side side, string text)
    {
        text = text.Replace(side.Directory.Path, "DIR");
        if (!text.TrimStart().StartsWith('{')) return text;
        JsonNode node = JsonNode.Parse(text)!;
        node.AsObject().Remove("timings");
        return node.ToJsonString();
    }
}
