using System.Text.Json;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Tests.FitsTests;
using ImageReducer.TestSupport;

namespace ImageReducer.Engine.Tests.Mapping.Diffim;

/// <summary>
/// Runs the numpy ports of LSST's mappers (bench/diffim/diffim_numpy.py, over the shared numpy map-reduce baseline)
/// on the same inputs, grid and per-cell kernels as an engine run, and reads back what they produce.
/// </summary>
internal static class DiffimReference
{
    /// <summary>One kernel image a cell asks for: the PSF or kernel name, where, and the image (rows = y).</summary>
    public sealed record CellKernel(string Name, Point2D At, Image<double> Kernel);

    /// <summary>The stitched image, variance and mask of the numpy run, and each cell's PSF (null when the port gives none).</summary>
    public sealed record Output(Image<float> Image, Image<float> Variance, Image<int> Mask, double[][,]? Psfs, double MapSeconds);

    public static string Script => Path.Combine(SharedBench.FindRepositoryRoot() ?? throw new InvalidOperationException("no repository root"),
        "bench", "diffim", "diffim_numpy.py");

    public static Output Run(string mapper, IReadOnlyDictionary<string, object> options, Exposure main, IReadOnlyDictionary<string, Exposure> auxiliary,
        Grid grid, Func<int, IEnumerable<CellKernel>> kernelsOfCell, string reduceOperation = "average")
    {
        string dir = Directory.CreateTempSubdirectory("imred-diffim-ref-").FullName;
        try
        {
            string mainPath = Path.Combine(dir, "main.fits");
            ExposureFits.Write(main, mainPath);
            var aux = new Dictionary<string, string>();
            foreach (var (name, exposure) in auxiliary)
            {
                aux[name] = Path.Combine(dir, name + ".fits");
                ExposureFits.Write(exposure, aux[name]);
            }
            var kernels = new Dictionary<string, List<object>>();
            for (int i = 0; i < grid.Count; i++)
                foreach (CellKernel k in kernelsOfCell(i))
                {
                    if (!kernels.TryGetValue(k.Name, out var list)) kernels[k.Name] = list = [];
                    list.Add(new { x = k.At.X, y = k.At.Y, kernel = Rows(k.Kernel) });
                    k.Kernel.Dispose();
                }
            var manifest = new
            {
                baselineDir = SharedBench.Directory(),
                mapper,
                options,
                main = mainPath,
                aux,
                kernels,
                cells = grid.Cells.Select(b => new[] { b.MinX, b.MinY, b.MaxX, b.MaxY }),
                expanded = grid.ExpandedCells.Select(b => new[] { b.MinX, b.MinY, b.MaxX, b.MaxY }),
                reduceOperation,
            };
            string manifestPath = Path.Combine(dir, "manifest.json"), outputPath = Path.Combine(dir, "out.fits");
            File.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest));
            string stdout = ExternalTools.RunPython(File.ReadAllText(Script), manifestPath, outputPath);
            double mapSeconds = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.GetProperty("map_s").GetDouble();
            using var reader = FitsReader.Open(outputPath);
            Image<float> image = Rebox(reader.ReadImage<float>(reader.Find("IMAGE")!), main.Box);
            Image<float> variance = Rebox(reader.ReadImage<float>(reader.Find("VARIANCE")!), main.Box);
            Image<int> mask = Rebox(reader.ReadImage<int>(reader.Find("MASK")!), main.Box);
            double[][,]? psfs = null;
            if (reader.Find("PSFS") is { } hdu)
            {
                using Image<double> stacked = reader.ReadImage<double>(hdu);
                int h = stacked.Height / grid.Count;
                psfs = new double[grid.Count][,];
                for (int c = 0; c < grid.Count; c++)
                {
                    psfs[c] = new double[h, stacked.Width];
                    for (int r = 0; r < h; r++)
                        for (int x = 0; x < stacked.Width; x++) psfs[c][r, x] = stacked.RowAt(c * h + r)[x];
                }
            }
            return new Output(image, variance, mask, psfs, mapSeconds);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double[][] Rows(Image<double> k) => [.. Enumerable.Range(0, k.Height).Select(r => k.RowAt(r).ToArray())];

    private static Image<T> Rebox<T>(Image<T> read, Box box) where T : unmanaged
    {
        var image = new Image<T>(box);
        for (int r = 0; r < box.Height; r++) read.RowAt(r).CopyTo(image.RowAt(r));
        read.Dispose();
        return image;
    }
}
