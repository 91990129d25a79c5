using System.CommandLine;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Files;
using ImageReducer.Cli.Output;
using ImageReducer.Cli.Rendering;
using ImageReducer.Cli.Running;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Commands;

/// <summary><c>imred grid INPUT</c>: the cells that <c>run</c> would use.</summary>
internal static class GridCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("INPUT") { Description = "FITS exposure to grid" };
        var json = new Option<bool>("--json") { Description = "Print {\"fwhm\": …, \"cells\": [{\"index\", \"bbox\", \"expandedBbox\"}]} and nothing else" };
        var png = new Option<FileInfo?>("--png")
        {
            Description = "Draw the image (zscale) with each cell dashed and its expanded cell dotted",
            HelpName = "FILE.png",
        };
        var config = new ConfigOptions();
        var command = new Command("grid", "Show the grid of cells and expanded cells that 'imred run' would use with the same options.")
        {
            input, json, png,
        }.WithExamples(
            "imred grid exposure.fits",
            "imred grid exposure.fits --json --set cellSizeX=20 --set cellSizeY=20",
            "imred grid exposure.fits --png grid.png --psf gaussian:sigma=2.0");
        config.AddTo(command, includeThreads: false);

        command.SetAction(async (parse, cancellationToken) =>
        {
            MapReduceConfig cfg = config.LoadConfig(parse);
            Psf? psf = config.LoadPsf(parse);
            LoadedExposure loaded = await ExposureFiles.ReadAsync(parse.GetRequiredValue(input), parse.GetRequiredValue(config.Layout), cancellationToken);
            ExposureFiles.PrintWarnings(parse.InvocationConfiguration.Error, loaded);
            using Exposure exposure = loaded.Exposure;
            if (psf is not null) exposure.Psf = psf;
            Grid grid = GridFor.Exposure(exposure, cfg);

            if (parse.GetValue(png) is FileInfo pngFile)
            {
                using var staged = new StagedOutputs();
                await staged.WriteAllBytesAsync(pngFile.FullName, GridPicture.Render(exposure, grid), cancellationToken);
                staged.Commit();
            }

            TextWriter stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                stdout.WriteLine(CliJson.Serialize(GridDocument.From(grid)));
                return ExitCodes.Ok;
            }
            GridTable.Write(stdout, exposure.Box, grid);
            if (parse.GetValue(png) is FileInfo written) stdout.WriteLine($"wrote {written.FullName}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
