using System.CommandLine;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Inspection;
using ImageReducer.Cli.Output;

namespace ImageReducer.Cli.Commands;

/// <summary><c>imred inspect FILE</c>: what a FITS exposure or PSF file holds.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("FILE") { Description = "FITS file (exposure in any layout, or PSF file)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON and nothing else" };
        var layout = LayoutOption.Create();
        var command = new Command("inspect", "Describe a FITS file: layout, HDUs, sizes, xy0, mask planes, PSF and FWHM, WCS, checksums, pixel statistics.")
        {
            input, json, layout,
        }.WithExamples(
            "imred inspect exposure.fits",
            "imred inspect exposure.fits --json",
            "imred inspect hst_flt.fits --layout hst");
        command.SetAction(async (parse, cancellationToken) =>
        {
            FileInfo file = parse.GetRequiredValue(input);
            string layoutName = parse.GetRequiredValue(layout);
            InspectReport report = await Task.Run(() => FitsInspector.Inspect(file, layoutName), cancellationToken);
            if (report.Exposure is null && report.Psf is null)
                throw new InputDataException($"{file.FullName}: neither an exposure nor a PSF file ({report.ExposureError ?? "no PSF extension"})");
            TextWriter stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) stdout.WriteLine(CliJson.Serialize(report));
            else InspectText.Write(stdout, report);
            return ExitCodes.Ok;
        });
        return command;
    }
}
