using System.Diagnostics;
using ImageReducer.Cli.Diagnostics;
using ImageReducer.Cli.Files;
using ImageReducer.Cli.Output;
using ImageReducer.Cli.Progress;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Cli.Running;


/// <summary>Read → grid → map and reduce → write (staged, then committed with the metadata), timing each phase.</summary>
internal static class RunPipeline
{
    public static Task<RunMetadata> ExecuteAsync(RunRequest request, ProgressDisplay display, CancellationToken cancellationToken) =>
        display.RunAsync(d => ExecuteInsideAsync(request, d, cancellationToken));

    private static async Task<RunMetadata> ExecuteInsideAsync(RunRequest request, ProgressDisplay display, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        MapReduceConfig config = request.Config;
        LoadedExposure loaded;
        TimeSpan readTime;
        using (var read = display.Begin("read", request.Input.Name))
        {
            loaded = await ExposureFiles.ReadAsync(request.Input, request.Layout, cancellationToken, request.Engine.Workers, request.InputHash);
            read.Complete();
            readTime = read.Elapsed;
        }
        Timeline.Mark("read");
        if (request.Warnings is { } warnings) ExposureFiles.PrintWarnings(warnings, loaded);
        // --psf replaces the stored PSF, of the input as read and of the input read again.
        Exposure WithRequestPsf(Exposure e)
        {
            if (request.Psf is not null) e.Psf = request.Psf;
            return e;
        }
        using Exposure exposure = WithRequestPsf(loaded.Exposure);
        var (auxiliary, auxiliaryDigests) = await AuxiliaryFiles.ReadAsync(request.Auxiliary, request.Mapper, request.Layout, cancellationToken);
        using AuxiliaryData auxiliaryData = auxiliary;
        Grid grid = GridFor.Exposure(exposure, config);
        Timeline.Mark("grid built");
        // The input's pixels are not needed after the run (its digest comes from the file): a whole-exposure
        // copy/sum/average builds the output in its planes instead of faulting in as many new pages, and
        // reads the file again only if the run has to restart (a failing mapper: the same error as ever).
        Func<Exposure> readAgain = () => WithRequestPsf(ExposureFiles.ReadAgain(request.Input, loaded.Layout, request.Engine.Workers));
        SessionResult session = MapReduceSession.Run(exposure, grid, request.Mapper, config, request.Engine, display, cancellationToken, auxiliary, readAgain);

        Timeline.Mark("mapped and reduced");
        RunOutputs outputs = request.Outputs;
        // While the output is flushed to disk, the idle core prepares the metadata's serialisation (~20 ms off the serial tail).
        using var staged = new StagedOutputs { WhileFlushing = RunMetadataWarmup.Prepare };
        TimeSpan writeTime;
        using (var write = display.Begin("write", outputs.Primary.Name))
        {
            await RunOutputWriter.WriteAsync(staged, outputs, session.Result, cancellationToken, request.Engine.Workers);
            write.Complete();
            writeTime = write.Elapsed;
        }
        Timeline.Mark("written");
        var metadata = new RunMetadata
        {
            Tool = new ToolInfo("imred", CliJson.ToolVersion),
            Input = new FileDigest(request.Input.FullName, await loaded.Sha256, loaded.Layout) { Warnings = loaded.Warnings.Count > 0 ? loaded.Warnings : null },
            Auxiliary = auxiliaryDigests.Count > 0 ? auxiliaryDigests : null,
            Config = ResolvedConfig.ToJson(config, grid),
            CellCount = grid.Count,
            Threads = request.Engine.Workers,
            Overlap = Reducers.Create(config.Reducer).ReportsOverlap ? Overlap.From(session.Result.Reduced.Overlap) : null,
            Output = new OutputDigest(outputs.Primary.FullName, staged.Sha256Of(outputs.Primary.FullName), outputs.Kind),
            Timings = new Timings(readTime.TotalSeconds, session.MapTime.TotalSeconds, session.ReduceTime.TotalSeconds,
                writeTime.TotalSeconds, clock.Elapsed.TotalSeconds),
        };
        byte[] metadataJson = CliJson.SerializeToUtf8(metadata);
        Timeline.Mark("metadata serialised");
        await staged.WriteAllBytesAsync(outputs.Metadata.FullName, metadataJson, cancellationToken);
        staged.Commit();
        Timeline.Mark("committed");
        return metadata;
    }
}
