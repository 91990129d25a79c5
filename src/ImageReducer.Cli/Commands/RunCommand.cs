using System.CommandLine;
using ImageReducer.Cli.Config;
using ImageReducer.Cli.Diagnostics;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Files;
using ImageReducer.Cli.Output;
using ImageReducer.Cli.Progress;
using ImageReducer.Cli.Running;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Reducing;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Cli.Commands;

/// <summary><c>imred run INPUT -o OUTPUT</c>: map-reduce one exposure in-process.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("INPUT") { Description = "FITS exposure to process" };
        var output = new Option<FileInfo?>("--output", "-o")
        {
            Description = "Output file: an exposure FITS (copy, sum, average) or a PSF FITS (coaddPsf). Not used with reduceOperation=none",
            HelpName = "OUTPUT",
        };
        var results = new Option<FileInfo?>("--results")
        {
            Description = "JSON array of the mapper values, one per cell (required with reducer.reduceOperation=none)",
            HelpName = "FILE.json",
        };
        var metadata = new Option<FileInfo?>("--metadata")
        {
            Description = "Run metadata JSON (default: OUTPUT.metadata.json, or RESULTS.metadata.json with --results; the same name as a tiled or az:// run's)",
            HelpName = "FILE",
        };
        var json = new Option<bool>("--json") { Description = "Print the run metadata to stdout (and nothing else)" };
        var tileSize = TileSizeOption.Create(
            "Run the workflow's Plan / MapTile / Reduce steps in this process with tiles of ROWS rows (same bytes as the in-process run); " +
            "with az:// paths without --tile-size, one tile");
        var connection = new Option<string?>("--connection")
        {
            Description = "Storage of az://container/name INPUT and outputs: a connection string (UseDevelopmentStorage=true for Azurite), " +
                          "an account URL (Azure AD login) or a folder; default $IMRED_STORAGE, else UseDevelopmentStorage=true",
            HelpName = "STORAGE",
        };
        var aux = new Option<string[]>("--aux")
        {
            Description = "An auxiliary input of the mapper (decorrelateAL: science, template, psfMatchingKernel; zogy: template): a local file, " +
                          "or an az://container/name blob with az:// INPUT. Repeatable",
            HelpName = AuxiliaryArguments.Syntax,
            DefaultValueFactory = _ => [],
        };
        var config = new ConfigOptions();

        var command = new Command("run", "Map-reduce one exposure in-process and write the result atomically, with run metadata.")
        {
            input, output, results, metadata, json, tileSize, connection, aux,
        }.WithExamples(
            "imred run exposure.fits -o background.fits --set mapper.name=background",
            "imred run exposure.fits -o plus5.fits --set mapper.name=add --set mapper.addAmount=5 --set reducer.reduceOperation=copy",
            "imred run exposure.fits --results stats.json --set mapper.name=stats --set reducer.reduceOperation=none",
            "imred run exposure.fits -o coadd-psf.fits --set mapper.name=psf --set reducer.reduceOperation=coaddPsf",
            "imred run exposure.fits -o out.fits --config run.json --psf gaussian:sigma=2.0 --threads 4",
            "imred run az://incoming/exposure.fits -o az://outputs/exposure.fits --tile-size 1024 --connection UseDevelopmentStorage=true",
            "imred run diff.fits -o decorrelated.fits --set mapper.name=decorrelateAL --aux science=science.fits --aux template=template.fits --aux psfMatchingKernel=kernel.fits",
            "imred run science.fits -o zogy.fits --set mapper.name=zogy --aux template=template.fits");
        config.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            // The input's SHA-256 starts first, on its own thread: the start-up below runs on one thread,
            // so the hash uses the idle core instead of sharing the cores with the parallel read later.
            // Disposed (stopped) on a usage error, a tiled run, or once the metadata has it.
            string? inputText = parse.GetResult(input)?.Tokens.FirstOrDefault()?.Value;
            await using InputHash? hash = inputText is null || inputText.StartsWith(BlobPath.Scheme, StringComparison.Ordinal)
                ? null : InputHash.TryStart(parse.GetValue(input));
            // Every usage check happens before the input is read, so a typo fails fast.
            MapReduceConfig cfg = config.LoadConfig(parse);
            Timeline.Mark("config loaded");
            string? outputText = parse.GetResult(output)?.Tokens.FirstOrDefault()?.Value ?? parse.GetResult(results)?.Tokens.FirstOrDefault()?.Value;
            IMapper mapper = MapReduceSession.CreateMapper(cfg); // an unknown mapper is a usage error before any upload
            Timeline.Mark("mapper created");
            IReadOnlyDictionary<string, string> auxiliary = AuxiliaryArguments.Parse(parse.GetValue(aux) ?? [], mapper);
            if (TiledRun.Applies(TileSizeOption.Load(parse, tileSize), inputText, outputText))
            {
                ManagedRuntime.Require("a tiled imred run (--tile-size or az:// paths)");
                if (hash is not null) await hash.DisposeAsync(); // the tiled steps read the input through their own store
                string? psf = parse.GetValue(config.Psf);
                if (psf is not null) PsfSpecParser.ParseSpec(psf); // a malformed spec fails before any upload
                RunOutputs.Resolve(Reducers.Create(cfg.Reducer), parse.GetValue(output), parse.GetValue(results), null); // same -o / --results rules
                var (summary, written, metadataText) = await TiledRun.ExecuteAsync(inputText!, outputText!, parse.GetValue(connection), parse.GetValue(tileSize), cfg,
                    config.Engine(parse), concurrentTiles: 2, cancellationToken, auxiliary, parse.GetValue(metadata)?.FullName, psf);
                TextWriter console = parse.InvocationConfiguration.Output;
                if (parse.GetValue(json)) console.WriteLine(CliJson.Serialize(summary));
                else console.WriteLine(FormattableString.Invariant($"wrote {written} ({summary.Tiles} tiles, {summary.Cells} cells); metadata {metadataText}"));
                return ExitCodes.Ok;
            }
            foreach (var (auxName, auxPath) in auxiliary) // a loop, not LINQ over the pairs: no generic code to JIT-compile
            {
                if (auxPath.StartsWith(BlobPath.Scheme, StringComparison.Ordinal))
                    throw new UsageException($"--aux {auxName}={auxPath}: an az:// auxiliary input needs an az:// INPUT (the run then goes through the workflow's steps)");
            }
            RunOutputs outputs = RunOutputs.Resolve(Reducers.Create(cfg.Reducer), parse.GetValue(output), parse.GetValue(results), parse.GetValue(metadata));
            if (outputs.Kind == "results") ManagedRuntime.Require("imred run --results (a mapper's per-cell values as JSON)");
            var request = new RunRequest(
                Input: parse.GetRequiredValue(input),
                Layout: parse.GetRequiredValue(config.Layout),
                Config: cfg,
                Mapper: mapper,
                Engine: config.Engine(parse),
                Psf: config.LoadPsf(parse),
                Outputs: outputs)
            {
                Warnings = parse.InvocationConfiguration.Error,
                Auxiliary = auxiliary,
                InputHash = hash,
            };
            var display = ProgressDisplay.Create(parse.GetValue(GlobalOptions.Quiet), parse.InvocationConfiguration.Error);
            Timeline.Mark("request resolved");
            RunMetadata meta = await RunPipeline.ExecuteAsync(request, display, cancellationToken);

            TextWriter stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) stdout.WriteLine(CliJson.Serialize(meta));
            else stdout.WriteLine(FormattableString.Invariant($"wrote {meta.Output.Path} ({meta.Output.Kind}, {meta.CellCount} cells, {meta.Timings.TotalSeconds:0.00} s); metadata {request.Outputs.Metadata.FullName}"));
            Timeline.Mark("result printed");
            return ExitCodes.Ok;
        });
        return command;
    }
}
