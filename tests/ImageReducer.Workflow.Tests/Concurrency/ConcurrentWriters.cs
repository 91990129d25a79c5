using System.Security.Cryptography;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Reduction;
using Xunit.Abstractions;

namespace ImageReducer.Workflow.Tests.Concurrency;

/// <summary>
/// Rounds of concurrent in-process runs (<see cref="TiledReduction"/>, the CLI's <c>--tile-size</c> mode) reducing different
/// inputs to one output, started together, and the checks every round must pass: the output is exactly one run's bytes,
/// the metadata beside it is that run's (run id, input, output ETag, SHA-256), every other run either succeeded earlier
/// and was replaced whole or failed with <see cref="ErrorCodes.OutputChanged"/>, and no run left work blobs behind.
/// </summary>
/// <param name="store">Where inputs, output and metadata live.</param>
/// <param name="log">Receives the rounds' figures.</param>
/// <param name="run">Runs one request to its end (default: in-process, <see cref="TiledReduction"/>; the Functions tests pass a Durable orchestration).</param>
public sealed class ConcurrentWriters(IBlobStore store, ITestOutputHelper log, Func<ReductionRequest, Task<ReductionSummary>>? run = null)
{
    private readonly Func<ReductionRequest, Task<ReductionSummary>> run = run ?? (request => new TiledReduction(ReductionServices.Create(store)).RunAsync(request));

    /// <summary>
    /// Runs <paramref name="rounds"/> rounds of <paramref name="writers"/> runs to one output; returns the successes per round.
    /// <paramref name="flowOf"/> gives writer w's <see cref="ReductionRequest.Flow"/> (null: the request's default, tiled).
    /// </summary>
    public async Task<int[]> RunRoundsAsync(string container, int rounds, int writers, int tileSize, Func<int, ExposureFlow?>? flowOf = null)
    {
        string config = ReductionInputs.Config("add", "average");
        var inputs = new BlobPath[writers];
        var expected = new byte[writers][];
        for (int w = 0; w < writers; w++)
        {
            byte[] fits = ReductionInputs.Fits(seed: 100 + w);
            inputs[w] = new BlobPath("incoming", $"{container}-in{w}.fits");
            await ReductionInputs.UploadAsync(store, inputs[w], fits);
            expected[w] = ReductionInputs.InProcess(fits, config);
        }
        Assert.Equal(writers, expected.Select(Convert.ToHexString).Distinct().Count()); // a mix could not pass for one of them

        var output = new BlobPath(container, "same.fits");
        var successes = new int[rounds];
        for (int round = 0; round < rounds; round++)
        {
            using var start = new Barrier(writers);
            ReductionSummary[] summaries = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() =>
            {
                start.SignalAndWait(); // started together, so their staging overlaps
                return run(new ReductionRequest(inputs[w], output, ConfigJson.Deserialize(config), tileSize) { Flow = flowOf?.Invoke(w) });
            })));
            successes[round] = await CheckRoundAsync(round, output, inputs, expected, summaries);
        }
        log.WriteLine($"{store.GetType().Name}: {rounds} rounds × {writers} writers, tile {tileSize} rows; " +
            $"successes per round: [{string.Join(", ", successes)}] (1 = the first commit won, the others failed with OutputChanged)");
        return successes;
    }

    private async Task<int> CheckRoundAsync(int round, BlobPath output, BlobPath[] inputs, byte[][] expected, ReductionSummary[] summaries)
    {
        foreach (ReductionSummary s in summaries.Where(s => s.Status != ReductionStatus.Succeeded))
        {
            // The only way to lose is to find the output published by another run; nothing else may fail.
            Assert.True(s.ErrorDetail is { Class: ErrorClass.Conflict, Code: ErrorCodes.OutputChanged }, $"round {round}: {s.Error}");
            Assert.Contains("changed under run", s.Error);
        }
        ReductionSummary[] won = [.. summaries.Where(s => s.Status == ReductionStatus.Succeeded)];
        Assert.NotEmpty(won);

        byte[] bytes = await ReductionInputs.DownloadAsync(store, output);
        int writer = Array.FindIndex(expected, e => e.AsSpan().SequenceEqual(bytes));
        Assert.True(writer >= 0, $"round {round}: the output is none of the {expected.Length} runs' bytes (mixed)");

        BlobPath metadataPath = ReductionNames.Metadata(output);
        var metadata = WorkflowJson.Deserialize<ReductionMetadata>(await ReductionInputs.DownloadAsync(store, metadataPath));
        Assert.Equal(inputs[writer], metadata.Input); // the metadata describes the run whose bytes are there
        Assert.Contains(won, s => s.RunId == metadata.RunId && s.Input == inputs[writer]);
        Assert.Equal((await store.GetPropertiesAsync(output)).ETag, metadata.OutputETag);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), metadata.OutputSha256);
        Assert.Equal(bytes.Length, metadata.OutputBytes);

        await foreach (BlobInfo left in store.ListAsync(output.Container, ReductionNames.WorkPrefix(output)))
            Assert.Fail($"round {round}: work blob left behind: {left.Path}");
        return won.Length;
    }
}
