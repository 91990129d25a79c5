namespace ImageReducer.Cli.Tests.Infrastructure;

/// <summary>One small <c>imred demo</c> run shared by the tests of a collection (its files are read-only inputs).</summary>
public sealed class DemoFixture : IAsyncLifetime
{
    public const int Size = 96, Seed = 3;

    public TempDirectory Directory { get; } = new();
    public CliRun Run { get; private set; } = null!;
    public string Input => Directory.File("input.fits");
    public string Output => Directory.File("output.fits");
    public string Metadata => Directory.File("output.fits.metadata.json");

    public async Task InitializeAsync() =>
        Run = await Imred.RunAsync(Directory.Path, "demo", "--out", Directory.Path, "--size", Size.ToString(), "--seed", Seed.ToString());

    public Task DisposeAsync()
    {
        Directory.Dispose();
        return Task.CompletedTask;
    }
}
