using ImageReducer.Cli.Files;
using ImageReducer.Cli.Output;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Inspection;

/// <summary>
/// Builds an <see cref="InspectReport"/>: the HDU list and checksum status from the engine's FITS
/// reader, then (when the file is an exposure) planes, mask planes, PSF, WCS and statistics.
/// </summary>
/// <remarks>
/// Checksums are verified here one HDU at a time and reported, not thrown: inspecting a damaged
/// file is exactly when the user wants to see which HDU is damaged.
/// </remarks>
internal static class FitsInspector
{
    private static readonly FitsReadOptions NoChecksumVerification = FitsReadOptions.Default with { VerifyChecksums = false };

    public static InspectReport Inspect(FileInfo file, string layout)
    {
        InputFile.MustExist(file);
        var hdus = new List<HduSummary>();
        Psf? filePsf = null;
        string? psfError = null;
        string[] warnings;
        using (var reader = FitsReader.Open(file.FullName, NoChecksumVerification))
        {
            warnings = [.. reader.Warnings.Select(w => w.Message)];
            foreach (FitsHdu hdu in reader.Hdus)
            {
                string status = "absent";
                string? error = null;
                try
                {
                    if (reader.VerifyChecksum(hdu)) status = "ok";
                }
                catch (FitsFormatException e)
                {
                    status = "bad";
                    error = e.Message;
                }
                hdus.Add(new HduSummary(hdu.Index, TypeName(hdu.Type), hdu.ExtName, hdu.Bitpix, hdu.Axes, hdu.Header.Count, status, error));
            }
            try
            {
                filePsf = PsfFits.TryRead(reader);
            }
            catch (FitsException e)
            {
                psfError = e.Message;
            }
        }

        string checksum = hdus.Any(h => h.Checksum == "bad") ? "bad" : hdus.Any(h => h.Checksum == "ok") ? "ok" : "absent";
        var report = new InspectReport
        {
            File = file.FullName,
            SizeBytes = file.Length,
            Sha256 = FileHash.Sha256(file.FullName),
            Layout = "unknown",
            Hdus = hdus,
            Checksum = checksum,
            Warnings = warnings.Length > 0 ? warnings : null,
        };

        Exposure? exposure = null;
        string? detected = null;
        string? exposureError = null;
        try
        {
            var options = new ExposureReadOptions { Format = ExposureFiles.FormatOf(layout), Fits = NoChecksumVerification };
            (exposure, var format, _) = ExposureFiles.Read(file.FullName, options);
            detected = ExposureFiles.NameOf(format);
        }
        catch (FitsException e)
        {
            exposureError = e.Message;
        }

        using (exposure)
        {
            Psf? psf = exposure?.Psf ?? filePsf;
            return report with
            {
                Layout = detected ?? (filePsf is not null ? "psf" : "unknown"),
                Exposure = exposure is null ? null : Describe(exposure),
                Psf = psf is null ? (psfError is null ? null : new PsfSummary("invalid", null, [], psfError)) : Describe(psf),
                Wcs = exposure is null ? null : WcsSummarizer.Summarize(exposure.Wcs),
                ExposureError = exposure is null && filePsf is null ? exposureError : null,
            };
        }
    }

    private static ExposureSummary Describe(Exposure exposure)
    {
        Box b = exposure.Box;
        var counts = new long[32];
        for (int j = 0; j < exposure.Height; j++)
            foreach (int v in exposure.Mask.Pixels.RowAt(j))
                for (int bits = v; bits != 0; bits &= bits - 1)
                    counts[System.Numerics.BitOperations.TrailingZeroCount(bits)]++;
        var planes = exposure.Mask.Planes.Planes.Select(p => new MaskPlaneSummary(p.Key, p.Value, counts[p.Value])).ToArray();
        return new ExposureSummary(b.Width, b.Height, [b.MinX, b.MinY], b.ToArray(), planes,
            PlaneStatisticsCalculator.Compute(exposure.Image), PlaneStatisticsCalculator.Compute(exposure.Variance));
    }

    private static PsfSummary Describe(Psf psf)
    {
        Point2D at = psf.AveragePosition;
        try
        {
            return new PsfSummary(psf.Kind, psf.ComputeFwhm(), [at.X, at.Y], null);
        }
        catch (Exception e) when (e is InvalidPsfException or InvalidOperationException or ArgumentException)
        {
            return new PsfSummary(psf.Kind, null, [at.X, at.Y], e.Message);
        }
    }

    private static string TypeName(FitsHduType type) => type switch
    {
        FitsHduType.Primary => "primary",
        FitsHduType.Image => "image",
        FitsHduType.BinaryTable => "binaryTable",
        FitsHduType.AsciiTable => "asciiTable",
        _ => "other",
    };
}
