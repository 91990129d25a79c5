using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Tests.Observability;

/// <summary>The metadata JSON records per-activity timings and bytes: plan, every tile, reduce.</summary>
[Collection(WorkflowCollection.Name)]
public class MetadataFiguresTests(WorkflowHost host)
{
    [Fact]
    public async Task Metadata_AverageInFourTiles_HasPlausibleTimingsAndBytesPerActivity()
    {
        const int width = 64, height = 48;
        var input = new BlobPath("incoming", "figures/average.fits");
        var output = new BlobPath("outputs", "figures/average.fits");
        byte[] fits = TestInputs.ExposureFits(width, height, seed: 41);
        await TestInputs.UploadAsync(host.Store, input, fits);

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, ConfigJson.Deserialize(TestInputs.ConfigJson("add", "average")), 12));

        ReductionSummary summary = run.ReadOutputAs<ReductionSummary>()!;
        using JsonDocument doc = JsonDocument.Parse(await TestInputs.DownloadAsync(host.Store, ReductionNames.Metadata(output)));
        JsonElement m = doc.RootElement;
        double Number(JsonElement e, string name) => e.GetProperty(name).GetDouble();

        // Plan: it reads the headers and the PSF table, never the pixels.
        Assert.InRange(Number(m, "planSeconds"), 1e-6, 120);
        Assert.InRange(Number(m, "planBytesRead"), 2880, fits.Length);
        // Reduce: headers and side results in, headers and padding out.
        Assert.InRange(Number(m, "reduceSeconds"), 1e-6, 120);
        Assert.Equal(summary.ReduceBytesRead, m.GetProperty("reduceBytesRead").GetInt64());
        Assert.True(m.GetProperty("reduceBytesStaged").GetInt64() > 0);

        JsonElement[] tiles = [.. m.GetProperty("tiles").EnumerateArray()];
        Assert.Equal(4, tiles.Length);
        Assert.Equal([0, 1, 2, 3], tiles.Select(t => t.GetProperty("index").GetInt32()));
        foreach (JsonElement t in tiles)
        {
            Assert.InRange(Number(t, "seconds"), 1e-6, 120);
            Assert.True(Number(t, "readSeconds") + Number(t, "mapSeconds") <= Number(t, "seconds") + 1e-3, t.ToString());
            Assert.True(t.GetProperty("bytesRead").GetInt64() > 0, t.ToString());
            Assert.True(t.GetProperty("bytesWritten").GetInt64() > 0, t.ToString());
        }

        // The output is the tiles' staged pixel blocks plus what the reduce step staged; the tiles also
        // wrote side results (deleted afterwards), so their sum exceeds the pixel bytes by those only.
        long pixels = (long)width * height * 12; // IMAGE float32 + MASK int32 + VARIANCE float32
        long tileBytes = tiles.Sum(t => t.GetProperty("bytesWritten").GetInt64());
        long outputBytes = m.GetProperty("outputBytes").GetInt64();
        Assert.Equal(summary.OutputBytes, outputBytes);
        Assert.True(tileBytes >= pixels, $"tiles wrote {tileBytes} bytes, the pixels alone are {pixels}");
        Assert.True(tileBytes + m.GetProperty("reduceBytesStaged").GetInt64() >= outputBytes,
            $"tiles {tileBytes} + reduce {m.GetProperty("reduceBytesStaged").GetInt64()} < output {outputBytes}");
        // Every tile reads its band plus a halo, so together they read at least the pixels once.
        Assert.True(tiles.Sum(t => t.GetProperty("bytesRead").GetInt64()) >= pixels);
    }
}

/// <summary>The in-process tiled run (no Durable backend) records the plan and reduce figures too.</summary>
[Collection(WorkflowCollection.Name)]
public sealed class MetadataFiguresInProcessTests(WorkflowHost host)
{
    [Fact]
    public async Task Metadata_InProcessTiledRun_HasPlanAndReduceFiguresToo()
    {
        var input = new BlobPath("incoming", "figures/in-process.fits");
        var output = new BlobPath("outputs", "figures/in-process.fits");
        await TestInputs.UploadAsync(host.Store, input, TestInputs.ExposureFits(32, 24, seed: 42));

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(host.Store))
            .RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(TestInputs.ConfigJson("add", "copy")), 8));

        Assert.Equal(ReductionStatus.Succeeded, summary.Status);
        var metadata = WorkflowJson.Deserialize<ReductionMetadata>(await TestInputs.DownloadAsync(host.Store, ReductionNames.Metadata(output)));
        Assert.InRange(metadata.PlanSeconds, 1e-6, 120);
        Assert.True(metadata.PlanBytesRead > 0);
        Assert.InRange(metadata.ReduceSeconds, 1e-6, 120);
    }
}
