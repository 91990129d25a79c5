using System.Security.Cryptography;
using System.Text.Json;
using ImageReducer.Cli.Tests.Infrastructure;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;
using ImageReducer.Workflow.Tests.Reduction;
using Xunit.Abstractions;

namespace ImageReducer.Cli.Tests.Running;

/// <summary>
/// Separate <c>imred run --tile-size</c> processes reducing different inputs to one output, started together, round after
/// round — on Azurite, on a folder store shared by the processes, and to local files. Every round: each process exits 0
/// or 4 (<c>OutputChanged</c>), at least one exits 0, the output is exactly one run's bytes (never a mix) and the
/// metadata beside it is that run's, and no work blob is left.
/// </summary>
public sealed class ConcurrentTiledRunTests(AzuriteFixture azurite, ITestOutputHelper log) : IClassFixture<AzuriteFixture>
{
    private const int Writers = 3;
    private static readonly string Config = ReductionInputs.Config("add", "average");

    [Fact]
    public async Task ThreeProcessesToOneBlobOnAzurite_ManyRounds_OutputIsOneRunsBytesWithItsMetadata()
    {
        var store = new AzureBlobStore(azurite.ConnectionString);
        await BlobRoundsAsync(store, azurite.ConnectionString, "cli" + Guid.NewGuid().ToString("N")[..10], rounds: 4);
    }

    [Fact]
    public async Task ThreeProcessesToOneBlobOnAFolderStore_ManyRounds_OutputIsOneRunsBytesWithItsMetadata()
    {
        using var dir = new TempDirectory();
        string root = Path.Combine(dir.Path, "store");
        await BlobRoundsAsync(new LocalFolderBlobStore(root), root, "folder", rounds: 3);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, ".staging"), "*.block", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ThreeProcessesToOneLocalFile_ManyRounds_FileIsOneRunsBytesWithItsMetadata()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("run.json"), Config);
        var expected = new byte[Writers][];
        for (int w = 0; w < Writers; w++)
        {
            byte[] fits = ReductionInputs.Fits(seed: 300 + w);
            File.WriteAllBytes(dir.File($"in{w}.fits"), fits);
            expected[w] = ReductionInputs.InProcess(fits, Config);
        }
        var successes = new List<int>();
        for (int round = 0; round < 3; round++)
        {
            CliRun[] runs = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w =>
                Imred.RunAsync(dir.Path, "run", $"in{w}.fits", "-o", "same.fits", "--tile-size", "8", "--config", "run.json", "--json")));
            string[] runIds = CheckExits(round, runs);

            byte[] bytes = File.ReadAllBytes(dir.File("same.fits"));
            int writer = Array.FindIndex(expected, e => e.AsSpan().SequenceEqual(bytes));
            Assert.True(writer >= 0, $"round {round}: same.fits is none of the runs' bytes (mixed)");
            var metadata = WorkflowJson.Deserialize<ReductionMetadata>(File.ReadAllBytes(dir.File("same.fits.metadata.json")));
            Assert.Equal(runIds[writer], metadata.RunId); // the metadata beside the file is the run whose bytes it holds
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), metadata.OutputSha256);
            successes.Add(runIds.Count(id => id is not null));
        }
        Assert.Empty(Directory.EnumerateFiles(dir.Path, ".same.fits*")); // no temporary file left beside the output
        log.WriteLine($"local files: 3 rounds × {Writers} processes; successes per round: [{string.Join(", ", successes)}]");
    }

    private async Task BlobRoundsAsync(IBlobStore store, string connection, string container, int rounds)
    {
        var expected = new byte[Writers][];
        var inputs = new BlobPath[Writers];
        for (int w = 0; w < Writers; w++)
        {
            byte[] fits = ReductionInputs.Fits(seed: 200 + w);
            inputs[w] = new BlobPath("incoming", $"{container}-in{w}.fits");
            await ReductionInputs.UploadAsync(store, inputs[w], fits);
            expected[w] = ReductionInputs.InProcess(fits, Config);
        }
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("run.json"), Config);
        var output = new BlobPath(container, "same.fits");
        var successes = new List<int>();
        for (int round = 0; round < rounds; round++)
        {
            CliRun[] runs = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Imred.RunAsync(dir.Path,
                "run", BlobPath.Scheme + inputs[w], "-o", BlobPath.Scheme + output, "--tile-size", "8", "--config", "run.json", "--connection", connection, "--json")));
            string[] runIds = CheckExits(round, runs);

            byte[] bytes = await ReductionInputs.DownloadAsync(store, output);
            int writer = Array.FindIndex(expected, e => e.AsSpan().SequenceEqual(bytes));
            Assert.True(writer >= 0, $"round {round}: {output} is none of the runs' bytes (mixed)");
            var metadata = WorkflowJson.Deserialize<ReductionMetadata>(await ReductionInputs.DownloadAsync(store, ReductionNames.Metadata(output)));
            Assert.Equal(runIds[writer], metadata.RunId);
            Assert.Equal(inputs[writer], metadata.Input);
            Assert.Equal((await store.GetPropertiesAsync(output)).ETag, metadata.OutputETag);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), metadata.OutputSha256);
            await foreach (BlobInfo left in store.ListAsync(container, ReductionNames.WorkFolder)) Assert.Fail($"round {round}: left {left.Path}");
            successes.Add(runIds.Count(id => id is not null));
        }
        log.WriteLine($"{store.GetType().Name}: {rounds} rounds × {Writers} processes; successes per round: [{string.Join(", ", successes)}]");
    }

    /// <summary>Each process exited 0 (its run id, from its --json summary) or 4 with OutputChanged (null); at least one won.</summary>
    private static string[] CheckExits(int round, CliRun[] runs)
    {
        var ids = new string[runs.Length];
        for (int w = 0; w < runs.Length; w++)
        {
            CliRun run = runs[w];
            if (run.ExitCode == 0)
            {
                using var summary = JsonDocument.Parse(run.Stdout);
                ids[w] = summary.RootElement.GetProperty("runId").GetString()!;
                continue;
            }
            Assert.True(run.ExitCode == 4, $"round {round}, writer {w}: {run}");
            Assert.True(run.Stderr.Contains("changed under run") && run.Stderr.Contains("first to commit wins"),
                $"round {round}, writer {w}: exit 4 without OutputChanged: {run}");
        }
        Assert.Contains(ids, id => id is not null);
        return ids!;
    }
}
