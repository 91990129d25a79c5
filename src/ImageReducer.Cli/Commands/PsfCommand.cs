using System.CommandLine;
using System.Globalization;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Files;
using ImageReducer.Cli.Output;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Commands;

/// <summary><c>imred psf FILE --at X,Y</c>: evaluate the PSF of an exposure file or a PSF file at points.</summary>
internal static class PsfCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("FILE") { Description = "FITS exposure with a PSF, or a PSF file (as written by 'imred run' with coaddPsf)" };
        var at = new Option<string[]>("--at")
        {
            Description = "Point in parent pixel coordinates, X,Y (repeatable)",
            HelpName = "X,Y",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json") { Description = "Print {\"points\": [{\"x\", \"y\", \"bbox\", \"kernel\": [[row minY…], …]}]} and nothing else" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write one image HDU per point (CRVAL1A/2A give its origin)", HelpName = "KERNELS.fits" };
        var command = new Command("psf", "Evaluate a PSF at points (parent pixel coordinates); each image is placed at the nearest pixel, re-centred on the exact point.")
        {
            input, at, json, output,
        }.WithExamples(
            "imred psf exposure.fits --at 100,200",
            "imred psf coadd-psf.fits --at 64,64 --at 10.5,20.25 --json",
            "imred psf exposure.fits --at 100,200 -o kernels.fits");
        command.SetAction(async (parse, cancellationToken) =>
        {
            Point2D[] points = (parse.GetValue(at) ?? []).Select(ParsePoint).ToArray();
            Psf psf = await PsfFiles.ReadAnyAsync(parse.GetRequiredValue(input), cancellationToken);
            var images = new List<Image<double>>(points.Length);
            try
            {
                foreach (Point2D p in points) images.Add(psf.ComputeImage(p));
                if (parse.GetValue(output) is FileInfo fits)
                {
                    using var staged = new StagedOutputs();
                    await PsfFiles.WriteKernelsAsync(staged, fits.FullName, images, cancellationToken);
                    staged.Commit();
                }
                TextWriter stdout = parse.InvocationConfiguration.Output;
                if (parse.GetValue(json))
                {
                    stdout.WriteLine(CliJson.Serialize(new PsfPointsDocument(points.Zip(images, PsfPointEntry.From).ToArray())));
                    return ExitCodes.Ok;
                }
                stdout.WriteLine($"PSF {psf.Kind}");
                for (int i = 0; i < points.Length; i++)
                    stdout.WriteLine(Describe(psf, points[i], images[i]));
                if (parse.GetValue(output) is FileInfo written) stdout.WriteLine($"wrote {written.FullName}");
                return ExitCodes.Ok;
            }
            finally
            {
                foreach (var image in images) image.Dispose();
            }
        });
        return command;
    }

    /// <summary>"X,Y" in invariant culture.</summary>
    internal static Point2D ParsePoint(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double y) && double.IsFinite(y))
            return new Point2D(x, y);
        throw new UsageException($"--at '{text}': expected X,Y (two numbers, for example 100,200.5)");
    }

    private static string Describe(Psf psf, Point2D p, Image<double> image)
    {
        double sum = 0, peak = double.NegativeInfinity;
        for (int j = 0; j < image.Height; j++)
            foreach (double v in image.RowAt(j)) { sum += v; peak = Math.Max(peak, v); }
        double fwhm = psf.ComputeFwhm(p);
        Box b = image.Box;
        return string.Create(CultureInfo.InvariantCulture,
            $"  at ({p.X}, {p.Y}): bbox [{b.MinX},{b.MinY},{b.MaxX},{b.MaxY}] ({b.Width}x{b.Height}), sum {sum:0.######}, peak {peak:0.######}, FWHM {fwhm:0.####} px");
    }
}
