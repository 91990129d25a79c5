using System.Diagnostics;
using System.Text;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Running;
using ImageReducer.TestSupport;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Reduction;
using Xunit.Abstractions;

namespace ImageReducer.Workflow.Tests.Reliability;

/// <summary>Tests that measure process-wide allocation: they run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredCollection
{
    public const string Name = "Measured (runs alone)";
}

/// <summary>
/// The malformed-FITS corpus through the workflow path (Plan → MapTile → Reduce, in-process through
/// <see cref="TiledReduction"/> on a local-folder store): every rejected file fails with a classified
/// error naming it, within a time bound, leaving nothing behind and allocating in proportion to its
/// size; every accepted one (see <see cref="WorkflowCorpus"/>) gives the in-process bytes.
/// </summary>
[Collection(MeasuredCollection.Name)]
public sealed class MalformedCorpusWorkflowTests(ITestOutputHelper output) : IDisposable
{
    // A run of these ~70 KB files takes milliseconds; only a hang gets near it.
    private static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(20);

    // As the engine's corpus test: 64 bytes per input byte + 4 MiB of parser, plan and pool slack; a
    // buffer sized from a declared absurd size (GBs) would blow through it.
    private const long AllocationSlack = 4 << 20;

    private readonly string root = Directory.CreateTempSubdirectory("imred-corpus-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Selection_RejectedVariants_AtLeast300CoveringEveryCategory()
    {
        var rejected = WorkflowCorpus.Rejected();
        Assert.True(rejected.Count >= 300, $"only {rejected.Count} rejected variants selected");
        var categories = rejected.Select(v => WorkflowCorpus.Expected(v)!.Value).ToHashSet();
        foreach (var category in Enum.GetValues<FitsErrorCategory>()) Assert.Contains(category, categories);
        // Every HDU boundary and every data unit of every seed is cut somewhere.
        Assert.Equal(MalformedFitsCorpus.All.Count(v => v.Name.Contains("/truncate/", StringComparison.Ordinal) && WorkflowCorpus.Expected(v) is not null),
            rejected.Count(v => v.Name.Contains("/truncate/", StringComparison.Ordinal)));
        Assert.Contains(rejected, v => v.Name.EndsWith("-boundary", StringComparison.Ordinal));
        Assert.InRange(WorkflowCorpus.OrchestratorSample().Count, 18, 20);
    }

    [Fact]
    public async Task TiledReduction_RejectedCorpus_ClassifiedErrorNamingTheFileNoLeftoversBoundedAllocation()
    {
        var store = new LocalFolderBlobStore(root);
        var reduction = new TiledReduction(ReductionServices.Create(store));
        var failures = new List<string>();
        double worstRatio = 0;
        string worst = "";
        var clock = Stopwatch.StartNew();
        var variants = WorkflowCorpus.Rejected();
        await RunOnceAsync(reduction, store, variants[0], "warm-up"); // JIT, pools
        for (int i = 0; i < variants.Count; i++)
        {
            var v = variants[i];
            byte[] bytes = v.CreateBytes();
            var input = new BlobPath("incoming", "corpus/" + v.FileName);
            var outputPath = new BlobPath("outputs", $"corpus/{i:D4}.fits");
            await ReductionInputs.UploadAsync(store, input, bytes);

            long before = GC.GetTotalAllocatedBytes(precise: true);
            ReductionSummary summary;
            try
            {
                summary = await reduction.RunAsync(new ReductionRequest(input, outputPath, ConfigJson.Deserialize(WorkflowCorpus.ConfigJson), WorkflowCorpus.TileSize))
                    .WaitAsync(HangTimeout);
            }
            catch (TimeoutException)
            {
                failures.Add($"{v.Name}: no result within {HangTimeout.TotalSeconds} s");
                continue;
            }
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

            string expected = $"{WorkflowCorpus.Expected(v)} (badInput)";
            if (summary.Status != ReductionStatus.Failed || summary.Error is null)
                failures.Add($"{v.Name} ({v.Description}): expected {expected}, but the run succeeded");
            else if (!summary.Error.StartsWith(expected + ": ", StringComparison.Ordinal) || !summary.Error.Contains($"{input}: ", StringComparison.Ordinal))
                failures.Add($"{v.Name} ({v.Description}): expected '{expected}: … {input}: …', got '{summary.Error}'");
            long budget = 64L * bytes.Length + AllocationSlack;
            if (allocated > budget) failures.Add($"{v.Name}: allocated {allocated} bytes, over {budget} for a {bytes.Length}-byte file");
            if (bytes.Length >= FitsConstants.BlockSize && (double)allocated / bytes.Length > worstRatio) (worstRatio, worst) = ((double)allocated / bytes.Length, v.Name);
            await foreach (BlobInfo left in store.ListAsync("outputs")) failures.Add($"{v.Name}: left {left.Path}");
            if (Directory.Exists(Path.Combine(root, ".staging")) && Directory.EnumerateFiles(Path.Combine(root, ".staging"), "*", SearchOption.AllDirectories).Any())
                failures.Add($"{v.Name}: staged blocks left in {Path.Combine(root, ".staging")}");
            await store.DeleteAsync(input);
        }
        output.WriteLine($"{variants.Count} rejected variants in {clock.Elapsed.TotalSeconds:F1} s; worst allocation {worstRatio:F1} bytes per input byte among files of a block or more ({worst})");
        Assert.True(failures.Count == 0, $"{failures.Count} of {variants.Count} variants misbehaved:\n{string.Join("\n", failures.Take(40))}");
        // Overall: a few seconds on a quiet machine; minutes would mean some variant is close to hanging.
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"the corpus took {clock.Elapsed}");
    }

    [Fact]
    public async Task TiledReduction_AcceptedCorpus_OutputIsTheInProcessRunOfTheSameBytes()
    {
        var store = new LocalFolderBlobStore(root);
        var reduction = new TiledReduction(ReductionServices.Create(store));
        var failures = new List<string>();
        var variants = WorkflowCorpus.Accepted();
        Assert.True(variants.Count >= 100, $"only {variants.Count} accepted variants");
        // A third of them (every third variant) keeps the suite fast; every group of the corpus is still represented.
        for (int i = 0; i < variants.Count; i += 3)
        {
            var v = variants[i];
            byte[] bytes = v.CreateBytes();
            var input = new BlobPath("incoming", "accepted/" + v.FileName);
            var outputPath = new BlobPath("outputs", $"accepted/{i:D4}.fits");
            await ReductionInputs.UploadAsync(store, input, bytes);

            ReductionSummary summary = await reduction.RunAsync(new ReductionRequest(input, outputPath, ConfigJson.Deserialize(WorkflowCorpus.ConfigJson), WorkflowCorpus.TileSize))
                .WaitAsync(HangTimeout);

            if (summary.Status != ReductionStatus.Succeeded)
            {
                failures.Add($"{v.Name} ({v.Description}): should reduce, failed with {summary.Error}");
                continue;
            }
            // Some tolerated damages are not checksum-verified in bands (see WorkflowCorpus): compare with the
            // in-process run of the same bytes read without verification — exact, same folds in the same order.
            byte[] expected = InProcessUnverified(bytes, WorkflowCorpus.ConfigJson);
            byte[] actual = await ReductionInputs.DownloadAsync(store, outputPath);
            if (!expected.SequenceEqual(actual))
                failures.Add($"{v.Name}: output differs from the in-process run");
            await store.DeletePrefixAsync("outputs", "accepted/");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
    }

    [Fact]
    public async Task TiledReduction_FlippedBitInImagePlane_FailsInBandsAndWhenOneTileReadsWholePlanes()
    {
        var store = new LocalFolderBlobStore(root);
        var reduction = new TiledReduction(ReductionServices.Create(store));
        var v = MalformedFitsCorpus.Get("lsst/checksum/hdu1-data-bit-flipped");
        var input = new BlobPath("incoming", "checksum/" + v.FileName);
        await ReductionInputs.UploadAsync(store, input, v.CreateBytes());

        var banded = await reduction.RunAsync(new ReductionRequest(input, new BlobPath("outputs", "checksum/banded.fits"), ConfigJson.Deserialize(WorkflowCorpus.ConfigJson), 16));
        var whole = await reduction.RunAsync(new ReductionRequest(input, new BlobPath("outputs", "checksum/whole.fits"), ConfigJson.Deserialize(WorkflowCorpus.ConfigJson), 1000));

        // Bands: the reduce step's sum of the tiles' partial sums; one tile: the engine's whole-plane read.
        foreach (var summary in (ReductionSummary[])[banded, whole])
        {
            Assert.Equal(ReductionStatus.Failed, summary.Status);
            Assert.StartsWith("ChecksumMismatch (badInput): ", summary.Error);
            Assert.Contains($"{input}: HDU 1", summary.Error);
            Assert.Equal(ErrorClass.BadInput, summary.ErrorDetail?.Class);
        }
        Assert.Equal("ChecksumMismatch", banded.ErrorDetail?.Code);
        Assert.False(await store.ExistsAsync(new BlobPath("outputs", "checksum/banded.fits")));
        Assert.False(await store.ExistsAsync(new BlobPath("outputs", "checksum/whole.fits")));
    }

    private static async Task RunOnceAsync(TiledReduction reduction, IBlobStore store, MalformedFitsVariant v, string name)
    {
        var input = new BlobPath("incoming", name + ".fits");
        await ReductionInputs.UploadAsync(store, input, v.CreateBytes());
        await reduction.RunAsync(new ReductionRequest(input, new BlobPath("outputs", name + ".fits"), ConfigJson.Deserialize(WorkflowCorpus.ConfigJson), WorkflowCorpus.TileSize));
        await store.DeleteAsync(input);
    }

    private static byte[] InProcessUnverified(byte[] fits, string configJson)
    {
        MapReduceConfig config = ConfigJson.Deserialize(configJson);
        var options = new ExposureReadOptions { Fits = FitsReadOptions.Default with { VerifyChecksums = false } };
        using Exposure exposure = ExposureFits.Read(new MemoryStream(fits, writable: false), options);
        Grid grid = GridBuilder.Build(exposure, config);
        MapReduceResult result = new MapReduceRunner(new MapperRegistry().Create(config.Mapper), config.Reducer).Run(exposure, grid);
        using var buffer = new MemoryStream();
        using (Exposure reduced = result.Reduced.Exposure!) ExposureFits.Write(reduced, buffer);
        return buffer.ToArray();
    }
}
