namespace ImageReducer.Cli.Tests.Infrastructure;

/// <summary>
/// imred published as a user publishes it for linux-x64 (<c>dotnet publish -c Release -r linux-x64</c>): the native executable,
/// the managed build beside it in <c>managed/</c>, and a small demo exposure as input. Published once for the collection, into
/// a temporary folder with its own build outputs (<c>--artifacts-path</c>), so it never touches the build the tests run from.
/// </summary>
public sealed class NativeImredFixture : IAsyncLifetime
{
    /// <summary>A native publish compiles all of imred ahead of time: minutes on a 2-core machine, more while other tests run.</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);

    public TempDirectory Directory { get; } = new();

    /// <summary>The native executable.</summary>
    public string Native => Path.Combine(Directory.Path, "publish", "ImageReducer.Cli");

    /// <summary>The managed build published with it.</summary>
    public string Managed => Path.Combine(Directory.Path, "publish", "managed", "ImageReducer.Cli");

    /// <summary>A 128² demo exposure (LSST layout, varying PSF), written by the managed build.</summary>
    public string Input => Path.Combine(Directory.Path, "input", "input.fits");

    public async Task InitializeAsync()
    {
        string project = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Imred.DllPath)!, "..", "..", "..", "ImageReducer.Cli.csproj"));
        Assert.True(File.Exists(project), $"no CLI project at {project}");
        CliRun publish = await Imred.RunProcessAsync("dotnet",
            ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", Path.Combine(Directory.Path, "publish"),
                "--artifacts-path", Path.Combine(Directory.Path, "artifacts"), "-nologo", "-v:q"],
            Directory.Path, new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" }, PublishTimeout);
        if (publish.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish -r linux-x64 failed (Native AOT needs clang, which test.sh installs): {publish}");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(Input)!);
        CliRun demo = await Imred.RunExecutableAsync(Managed, Directory.Path, "demo", "--out", Path.GetDirectoryName(Input)!, "--size", "128", "--seed", "5", "--quiet");
        Assert.True(demo.ExitCode == 0, demo.ToString());
    }

    public Task DisposeAsync()
    {
        Directory.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The tests that share one <see cref="NativeImredFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class NativeImredCollection : ICollectionFixture<NativeImredFixture>
{
    public const string Name = "native imred";
}
