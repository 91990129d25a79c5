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

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>Inputs for the workflow step tests and the in-process bytes they must reproduce.</summary>
internal static class ReductionInputs
{
    public static string Config(string mapper, string operation) =>
        $$"""{ "cellSizeX": 9, "cellSizeY": 7, "gridStepX": 8, "gridStepY": 6, "borderSizeX": 3, "borderSizeY": 2, "adjustGridOption": "none", "scaleByFwhm": false, "mapper": { "name": "{{mapper}}" }, "reducer": { "reduceOperation": "{{operation}}" } }""";

    public static byte[] Fits(int width = 40, int height = 30, int seed = 3)
    {
        using var exposure = new Exposure(new Box(2, 4, width, height), new GaussianPsf(7, 7, 1.1))
        {
            Metadata = [new HeaderCard("OBSID", "w" + seed)],
        };
        var random = new Random(seed);
        for (int j = 0; j < height; j++)
        {
            var image = exposure.Image.RowAt(j);
            for (int i = 0; i < width; i++) image[i] = (float)random.NextDouble();
            exposure.Variance.RowAt(j).Fill(0.5f);
            exposure.Mask.Pixels.RowAt(j)[random.Next(width)] = 1 << 2;
        }
        using var stream = new MemoryStream();
        ExposureFits.Write(exposure, stream);
        return stream.ToArray();
    }

    public static byte[] InProcess(byte[] fits, string configJson, IReadOnlyDictionary<string, byte[]>? auxiliaryExposures = null)
    {
        MapReduceConfig config = ConfigJson.Deserialize(configJson);
        using Exposure exposure = ExposureFits.Read(new MemoryStream(fits));
        Grid grid = GridBuilder.Build(exposure, config);
        using var auxiliary = new Engine.Mapping.Auxiliary.AuxiliaryData(
            auxiliaryExposures?.ToDictionary(p => p.Key, p => ExposureFits.Read(new MemoryStream(p.Value))), null);
        MapReduceResult result = new MapReduceRunner(new MapperRegistry().Create(config.Mapper), config.Reducer).Run(exposure, grid, auxiliary: auxiliary);
        using var output = new MemoryStream();
        switch (Reducers.Create(config.Reducer).Output)
        {
            case OutputKind.Results:
                return WorkflowJson.SerializeToUtf8(result.Reduced.Results!
                    .Select((r, i) => new CellResultEntry(i, grid.Cells[i], grid.ExpandedCells[i], CellResultValue.Of(r))).ToArray());
            case OutputKind.Psf:
                PsfFits.Write(result.Reduced.Psf!, output);
                return output.ToArray();
            default:
                using (Exposure reduced = result.Reduced.Exposure!) ExposureFits.Write(reduced, output);
                return output.ToArray();
        }
    }

    public static async Task UploadAsync(IBlobStore store, BlobPath path, byte[] bytes)
    {
        using var content = new MemoryStream(bytes, writable: false);
        await store.WriteAsync(path, content, overwrite: true);
    }

    public static async Task<byte[]> DownloadAsync(IBlobStore store, BlobPath path)
    {
        await using Stream stream = await store.OpenReadAsync(path);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
