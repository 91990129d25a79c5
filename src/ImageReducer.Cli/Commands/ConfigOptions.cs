using System.CommandLine;
using ImageReducer.Cli.Config;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Files;
using ImageReducer.Engine;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Commands;

/// <summary>The configuration options shared by <c>run</c> and <c>grid</c>: --config, --set, --psf, --threads, --layout.</summary>
internal sealed class ConfigOptions
{
    public Option<FileInfo?> Config { get; } = new("--config")
    {
        Description = "JSON object with the reference's field names (cellSizeX, …, mapper: {\"name\": \"add\", \"addAmount\": 5}, reducer: {\"reduceOperation\": \"average\"})",
        HelpName = "FILE.json",
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Override one field after --config, dotted key (cellSizeX=20, mapper.name=add, reducer.reduceOperation=none, cellCentroidsX=[0,2.6]); VALUE is JSON when valid JSON, else a string. Repeatable",
        HelpName = "KEY=VALUE",
        DefaultValueFactory = _ => [],
    };

    public Option<string?> Psf { get; } = new("--psf")
    {
        Description = $"PSF to use when the input has none (or to override it): {PsfSpecParser.Syntax}",
        HelpName = "SPEC",
    };

    public Option<int?> Threads { get; } = new("--threads")
    {
        Description = "Worker threads (default: all cores); the output is identical whatever the count",
        HelpName = "N",
    };

    public Option<string> Layout { get; } = LayoutOption.Create();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command, bool includeThreads = true)
    {
        command.Add(Config);
        command.Add(Set);
        command.Add(Psf);
        if (includeThreads) command.Add(Threads);
        command.Add(Layout);
    }

    /// <summary>The resolved configuration: --config then every --set, validated.</summary>
    public MapReduceConfig LoadConfig(ParseResult parse) =>
        ConfigLoader.Load(parse.GetValue(Config), parse.GetValue(Set) ?? []);

    /// <summary>The PSF given by --psf, or null.</summary>
    public Psf? LoadPsf(ParseResult parse) =>
        parse.GetValue(Psf) is string spec ? PsfSpecParser.Parse(spec, PsfFiles.ReadKernel) : null;

    /// <summary>Engine options from --threads.</summary>
    public EngineOptions Engine(ParseResult parse)
    {
        int? threads = parse.GetValue(Threads);
        if (threads is null) return EngineOptions.Default;
        if (threads < 1) throw new UsageException($"--threads must be >= 1, got {threads}");
        return new EngineOptions { MaxDegreeOfParallelism = threads.Value };
    }
}
