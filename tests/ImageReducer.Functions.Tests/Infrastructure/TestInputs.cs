using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Functions.Tests.Infrastructure;

/// <summary>Synthetic exposures, configurations, and the in-process (<c>imred run</c>) bytes the workflow must reproduce.</summary>
public static class TestInputs
{
    /// <summary>A configuration JSON for a mapper and a reduce operation (grid in FWHM units, as the defaults).</summary>
    public static string ConfigJson(string mapper, string operation)
    {
        string options = mapper == "add" ? ", \"addAmount\": 2.5, \"addNans\": true" : "";
        return $$"""{ "cellSizeX": 8, "cellSizeY": 6, "gridStepX": 7, "gridStepY": 5, "borderSizeX": 3, "borderSizeY": 2, "adjustGridOption": "none", "mapper": { "name": "{{mapper}}"{{options}} }, "reducer": { "reduceOperation": "{{operation}}" } }""";
    }

    /// <summary>
    /// The FITS bytes of a noisy exposure with an origin off (0, 0), a Gaussian PSF, WCS and metadata
    /// cards, some masked pixels and a NaN — so every rule of the reducers is exercised.
    /// </summary>
    public static byte[] ExposureFits(int width = 64, int height = 48, int seed = 7)
    {
        var box = new Box(5, 11, width, height);
        using var exposure = new Exposure(box, new GaussianPsf(11, 11, 1.2))
        {
            Wcs = [new HeaderCard("CTYPE1", "RA---TAN"), new HeaderCard("CTYPE2", "DEC--TAN"), new HeaderCard("CRVAL1", 150.0), new HeaderCard("CRVAL2", 2.0)],
            Metadata = [new HeaderCard("OBSID", "test-" + seed, "synthetic"), new HeaderCard("EXPTIME", 30.0)],
        };
        var random = new Random(seed);
        for (int y = box.MinY; y <= box.MaxY; y++)
        {
            var image = exposure.Image.Row(y);
            var variance = exposure.Variance.Row(y);
            var mask = exposure.Mask.Row(y);
            for (int i = 0; i < image.Length; i++)
            {
                image[i] = (float)(100 + 10 * random.NextDouble());
                variance[i] = (float)(1 + random.NextDouble());
                mask[i] = random.Next(50) == 0 ? 1 << 3 : 0;
            }
        }
        exposure.Image[box.MinX + 3, box.MinY + 4] = float.NaN;
        using var stream = new MemoryStream();
        Engine.Fits.ExposureFits.Write(exposure, stream);
        return stream.ToArray();
    }

    /// <summary>
    /// What <c>imred run</c> writes for this input and configuration (and <c>--psf</c>: <paramref name="psf"/> replaces the
    /// input's; <c>--aux</c>: <paramref name="auxiliaryExposures"/>): the engine's runner, then its writers.
    /// </summary>
    public static byte[] InProcess(byte[] fits, string configJson, Engine.PointSpread.Psf? psf = null,
        IReadOnlyDictionary<string, byte[]>? auxiliaryExposures = null)
    {
        MapReduceConfig config = Engine.Config.ConfigJson.Deserialize(configJson);
        using var input = new MemoryStream(fits, writable: false);
        using Exposure exposure = Engine.Fits.ExposureFits.Read(input);
        if (psf is not null) exposure.Psf = psf;
        Grid grid = GridBuilder.Build(exposure, config);
        var runner = new MapReduceRunner(new MapperRegistry().Create(config.Mapper), config.Reducer);
        using var auxiliary = new Engine.Mapping.Auxiliary.AuxiliaryData(
            auxiliaryExposures?.ToDictionary(p => p.Key, p => Engine.Fits.ExposureFits.Read(new MemoryStream(p.Value, writable: false))), null);
        MapReduceResult result = runner.Run(exposure, grid, auxiliary: auxiliary);
        using var output = new MemoryStream();
        switch (Reducers.Create(config.Reducer).Output)
        {
            case OutputKind.Results:
                var entries = result.Reduced.Results!.Select((r, i) => new CellResultEntry(i, grid.Cells[i], grid.ExpandedCells[i], CellResultValue.Of(r))).ToArray();
                return WorkflowJson.SerializeToUtf8(entries);
            case OutputKind.Psf:
                PsfFits.Write(result.Reduced.Psf!, output);
                return output.ToArray();
            default:
                using (Exposure reduced = result.Reduced.Exposure!) Engine.Fits.ExposureFits.Write(reduced, output);
                return output.ToArray();
        }
    }

    /// <summary>Uploads bytes and returns the blob's ETag.</summary>
    public static async Task<string> UploadAsync(IBlobStore store, BlobPath path, byte[] bytes)
    {
        using var content = new MemoryStream(bytes, writable: false);
        await store.WriteAsync(path, content, overwrite: true);
        return (await store.GetPropertiesAsync(path)).ETag;
    }

    /// <summary>Downloads a whole blob.</summary>
    public static async Task<byte[]> DownloadAsync(IBlobStore store, BlobPath path)
    {
        await using Stream stream = await store.OpenReadAsync(path);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>Names of the blobs under a prefix.</summary>
    public static async Task<List<string>> ListAsync(IBlobStore store, string container, string prefix)
    {
        var names = new List<string>();
        await foreach (BlobInfo blob in store.ListAsync(container, prefix)) names.Add(blob.Path.Name);
        return names;
    }
}
