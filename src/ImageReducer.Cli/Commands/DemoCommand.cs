using System.CommandLine;
using ImageReducer.Cli.Demo;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Progress;

namespace ImageReducer.Cli.Commands;

/// <summary><c>imred demo</c>: synthesise an exposure, background-subtract it, and write everything with previews.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Directory for the demo files (created if missing)",
            HelpName = "DIR",
            DefaultValueFactory = _ => new DirectoryInfo("imred-demo"),
        };
        var size = new Option<int>("--size") { Description = "Side of the square exposure in pixels (16..8192)", HelpName = "N", DefaultValueFactory = _ => DemoRun.DefaultSize };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed and size give byte-identical files", HelpName = "S", DefaultValueFactory = _ => DemoRun.DefaultSeed };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores)", HelpName = "N" };
        var command = new Command("demo", "Synthesise a realistic exposure (star field, varying PSF, sky gradient, noise, saturated stars and cosmic rays), subtract its background with a map-reduce, and write input, output, metadata and PNG previews.")
        {
            output, size, seed, threads,
        }.WithExamples(
            "imred demo",
            "imred demo --out /tmp/demo --size 1024 --seed 7",
            "dotnet run --project src/ImageReducer.Cli -- demo");
        command.SetAction(async (parse, cancellationToken) =>
        {
            int n = parse.GetValue(size);
            if (n < 16 || n > 8192) throw new UsageException($"--size must be in 16..8192, got {n}");
            int? t = parse.GetValue(threads);
            if (t is < 1) throw new UsageException($"--threads must be >= 1, got {t}");
            var display = ProgressDisplay.Create(parse.GetValue(GlobalOptions.Quiet), parse.InvocationConfiguration.Error);
            DemoFiles files = await DemoRun.ExecuteAsync(parse.GetRequiredValue(output), n, parse.GetValue(seed), t, display, cancellationToken);
            files.Print(parse.InvocationConfiguration.Output);
            return ExitCodes.Ok;
        });
        return command;
    }
}
