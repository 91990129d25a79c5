using ImageReducer.Cli.Files;
using ImageReducer.Cli.Output;
using ImageReducer.Cli.Progress;
using ImageReducer.Cli.Rendering;
using ImageReducer.Cli.Running;
using ImageReducer.Engine;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Cli.Demo;

/// <summary>
/// <c>imred demo</c>: writes the synthetic input, runs the same pipeline as <c>imred run</c> on it
/// (background subtraction, <c>average</c>) and renders previews of input, output, mask and grid.
/// </summary>
internal static class DemoRun
{
    public const int DefaultSize = 512, DefaultSeed = 42;

    /// <summary>The demo's map-reduce: the reference's grid defaults, a sigma-clipped background per cell, averaged.</summary>
    public static MapReduceConfig Config { get; } = new()
    {
        Mapper = new MapperConfig { Name = "background" },
        Reducer = new ReducerConfig { ReduceOperation = ReduceOperation.Average },
    };

    public static async Task<DemoFiles> ExecuteAsync(DirectoryInfo directory, int size, int seed, int? threads, ProgressDisplay display, CancellationToken cancellationToken)
    {
        directory.Create();
        string Dir(string name) => Path.Combine(directory.FullName, name);
        var files = new DemoFiles(directory.FullName, Dir("input.fits"), Dir("output.fits"), Dir("output.fits" + Workflow.Reduction.ReductionNames.MetadataSuffix),
            Dir("input.png"), Dir("output.png"), Dir("input-mask.png"), Dir("grid.png"));

        using (Exposure synthetic = DemoExposureSynthesizer.Create(size, seed))
        {
            using var staged = new StagedOutputs();
            await ExposureFiles.WriteAsync(staged, files.Input, synthetic, cancellationToken);
            staged.Commit();
        }

        var engine = threads is int t ? new EngineOptions { MaxDegreeOfParallelism = t } : EngineOptions.Default;
        var request = new RunRequest(new FileInfo(files.Input), "auto", Config, MapReduceSession.CreateMapper(Config), engine, null,
            new RunOutputs(new FileInfo(files.Output), new FileInfo(files.Metadata), "exposure"));
        await RunPipeline.ExecuteAsync(request, display, cancellationToken);

        using var previews = new StagedOutputs();
        using (Exposure input = (await ExposureFiles.ReadAsync(new FileInfo(files.Input), "auto", cancellationToken)).Exposure)
        {
            await previews.WriteAllBytesAsync(files.InputPng, PlanePicture.Render(input, "image", StretchKind.Asinh), cancellationToken);
            await previews.WriteAllBytesAsync(files.MaskPng, PlanePicture.Render(input, "mask", StretchKind.Linear), cancellationToken);
            await previews.WriteAllBytesAsync(files.GridPng, GridPicture.Render(input, GridBuilder.Build(input, Config)), cancellationToken);
        }
        using (Exposure output = (await ExposureFiles.ReadAsync(new FileInfo(files.Output), "auto", cancellationToken)).Exposure)
            await previews.WriteAllBytesAsync(files.OutputPng, PlanePicture.Render(output, "image", StretchKind.Zscale), cancellationToken);
        previews.Commit();
        return files;
    }
}
