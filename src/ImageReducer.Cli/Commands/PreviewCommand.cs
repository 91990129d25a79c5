using System.CommandLine;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Files;
using ImageReducer.Cli.Output;
using ImageReducer.Cli.Rendering;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Commands;

/// <summary><c>imred preview FILE -o FILE.png</c>: a PNG of one plane of an exposure.</summary>
internal static class PreviewCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("FILE") { Description = "FITS exposure" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "PNG to write", HelpName = "FILE.png", Required = true };
        var plane = new Option<string>("--plane")
        {
            Description = "Plane to draw: image, mask (one colour per plane, lowest bit wins) or variance",
            HelpName = "image|mask|variance",
            DefaultValueFactory = _ => "image",
        };
        plane.AcceptOnlyFromAmong("image", "mask", "variance");
        var stretch = new Option<string>("--stretch")
        {
            Description = "Grey levels: zscale (IRAF limits), asinh (zscale floor to the 99.9th percentile) or linear (min to max)",
            HelpName = "zscale|asinh|linear",
            DefaultValueFactory = _ => "zscale",
        };
        stretch.AcceptOnlyFromAmong("zscale", "asinh", "linear");
        var layout = LayoutOption.Create();
        var command = new Command("preview", "Render one plane of an exposure as a PNG (y up, as ds9 shows it; non-finite pixels in dark violet).")
        {
            input, output, plane, stretch, layout,
        }.WithExamples(
            "imred preview exposure.fits -o exposure.png",
            "imred preview exposure.fits -o stars.png --stretch asinh",
            "imred preview exposure.fits -o mask.png --plane mask");
        command.SetAction(async (parse, cancellationToken) =>
        {
            FileInfo png = parse.GetRequiredValue(output);
            LoadedExposure loaded = await ExposureFiles.ReadAsync(parse.GetRequiredValue(input), parse.GetRequiredValue(layout), cancellationToken);
            ExposureFiles.PrintWarnings(parse.InvocationConfiguration.Error, loaded);
            using Exposure exposure = loaded.Exposure;
            byte[] bytes = PlanePicture.Render(exposure, parse.GetRequiredValue(plane), Enum.Parse<StretchKind>(parse.GetRequiredValue(stretch), ignoreCase: true));
            using (var staged = new StagedOutputs())
            {
                await staged.WriteAllBytesAsync(png.FullName, bytes, cancellationToken);
                staged.Commit();
            }
            if (!parse.GetValue(GlobalOptions.Quiet)) parse.InvocationConfiguration.Output.WriteLine($"wrote {png.FullName}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
