using System.Globalization;

namespace ImageReducer.Cli.Inspection;

/// <summary>The human-readable form of an <see cref="InspectReport"/>.</summary>
internal static class InspectText
{
    public static void Write(TextWriter o, InspectReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine($"{r.File}");
        o.WriteLine($"  layout    {r.Layout}");
        o.WriteLine($"  size      {r.SizeBytes.ToString("N0", inv)} bytes, sha256 {r.Sha256}");
        o.WriteLine($"  checksum  {r.Checksum}");
        foreach (string warning in r.Warnings ?? []) o.WriteLine($"  warning   {warning}");
        o.WriteLine("  HDUs");
        foreach (var h in r.Hdus)
            o.WriteLine($"    {h.Index,2}  {h.Type,-11} {h.ExtName ?? "",-10} BITPIX {h.Bitpix,3}  [{string.Join("x", h.Axes)}]  {h.Cards} cards  checksum {h.Checksum}");
        if (r.Exposure is { } e)
        {
            o.WriteLine($"  exposure  {e.Width}x{e.Height}, xy0 ({e.Xy0[0]},{e.Xy0[1]}), bbox [{string.Join(",", e.Bbox)}]");
            o.WriteLine("  mask planes");
            foreach (var p in e.MaskPlanes) o.WriteLine($"    {p.Bit,2}  {p.Name,-20} {p.Pixels.ToString("N0", inv)} pixels");
            o.WriteLine($"  image     {Stats(e.Image)}");
            o.WriteLine($"  variance  {Stats(e.Variance)}");
        }
        if (r.Psf is { } psf)
            o.WriteLine(psf.Fwhm is double f
                ? string.Create(inv, $"  PSF       {psf.Kind}, FWHM {f:0.####} px at ({psf.AveragePosition[0]:0.##}, {psf.AveragePosition[1]:0.##})")
                : $"  PSF       {psf.Kind} ({psf.Error})");
        else o.WriteLine("  PSF       none");
        if (r.Wcs is { } w)
            o.WriteLine(w.Crval is { } cv
                ? string.Create(inv, $"  WCS       {string.Join("/", w.Ctype)}, CRVAL ({cv[0]:0.######}, {cv[1]:0.######}), scale {w.PixelScaleArcsec:0.####}\"/px, {w.Cards} cards")
                : $"  WCS       {w.Cards} cards (no celestial axes)");
        else o.WriteLine("  WCS       none");
    }

    private static string Stats(PlaneStatistics s) => s.Mean is null
        ? $"{s.Pixels} pixels, all non-finite"
        : string.Create(CultureInfo.InvariantCulture,
            $"min {s.Min:G6}  max {s.Max:G6}  mean {s.Mean:G6}  median {s.Median:G6}  stddev {s.StdDev:G6}  non-finite {s.NonFinite}");
}
