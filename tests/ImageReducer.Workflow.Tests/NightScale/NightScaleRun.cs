using System.Diagnostics;
using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Functions.Durable;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageReducer.Workflow.Tests.NightScale;

/// <summary>A night at scale on the in-memory host: how many exposures, how they are laid out, what fails.</summary>
/// <param name="Exposures">Exposures in the night.</param>
public sealed record NightScaleOptions(int Exposures)
{
    /// <summary>Exposures per visit (a visit's folder is one batch): a Rubin visit's 189 science CCDs.</summary>
    public int PerVisit { get; init; } = 189;

    /// <summary>Tiles per exposure plan: a 4096-row CCD in tiles of 1,024 rows.</summary>
    public int Tiles { get; init; } = 4;

    /// <summary>The night's concurrency bound (<see cref="NightRequest.MaxConcurrentExposures"/>).</summary>
    public int MaxConcurrentExposures { get; init; } = 1000;

    /// <summary>How the night splits each exposure (<see cref="NightRequest.Flow"/>): tiled, or whole / auto through the batch's own activity.</summary>
    public ExposureFlow Flow { get; init; } = ExposureFlow.Tiled;

    /// <summary>With <see cref="ExposureFlow.Auto"/>: every <c>DeclineEvery</c>-th exposure is over the memory budget and runs tiled (0: none).</summary>
    public int DeclineEvery { get; init; }

    /// <summary>Every <c>FailEvery</c>-th exposure fails in Reduce with an oversized error (0: none fails).</summary>
    public int FailEvery { get; init; }

    /// <summary>Work items of each kind the in-memory backend dispatches at once (the test host's own limit is the core count).</summary>
    public int Concurrency { get; init; } = MeteredOrchestrationService.DefaultConcurrency;

    /// <summary>How often the night's live progress is read while it runs (as <c>imred night --wait</c> does).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the night may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Throws unless the options make a night.</summary>
    public NightScaleOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Exposures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(PerVisit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Tiles, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(FailEvery);
        ArgumentOutOfRangeException.ThrowIfNegative(DeclineEvery);
        return this;
    }

    /// <summary>The <paramref name="index"/>-th exposure's name: <c>night/visit-VVVVV/ccd-CCC.fits</c>.</summary>
    public string NameOf(int index) => $"night/visit-{index / PerVisit:D5}/ccd-{index % PerVisit:D3}.fits";

    /// <summary>Whether the <paramref name="index"/>-th exposure is over the whole-activity memory budget.</summary>
    public bool DeclinedAt(int index) => DeclineEvery > 0 && index % DeclineEvery == DeclineEvery / 2;

    /// <summary>Whether the <paramref name="index"/>-th exposure fails.</summary>
    public bool FailsAt(int index) => FailEvery > 0 && index % FailEvery == FailEvery - 1;
}

/// <summary>What a night at scale did and what the backend carried.</summary>
/// <param name="Summary">The night's summary, as written.</param>
/// <param name="ReportLines">Lines of the night report.</param>
/// <param name="ReportInputs">Distinct inputs the report names.</param>
/// <param name="ReportFailed">Report lines that say failed.</param>
/// <param name="LongestReportLine">Bytes of the longest report line.</param>
/// <param name="LongestReportError">Characters of the longest error in the report.</param>
/// <param name="ExposureInstancesLeft">Exposure instances still in the task hub after the night (purged: 0).</param>
/// <param name="Setup">Writing the inputs and starting the host.</param>
/// <param name="Wall">From scheduling the night to its completion.</param>
/// <param name="Meter">What the backend carried: payloads, histories, work items.</param>
/// <param name="Progress">The night's live progress (<see cref="NightProgress.LiveAsync"/>) as read while it ran, in order.</param>
public sealed record NightScaleResult(NightSummary Summary, int ReportLines, int ReportInputs, int ReportFailed, int LongestReportLine,
    int LongestReportError, int ExposureInstancesLeft, TimeSpan Setup, TimeSpan Wall, MeteredOrchestrationService Meter,
    IReadOnlyList<ReductionProgress> Progress)
{
    /// <summary>Orchestration and activity work items per wall-clock second.</summary>
    public double WorkItemsPerSecond => (Meter.OrchestrationWorkItems + Meter.ActivityWorkItems) / Wall.TotalSeconds;
}

/// <summary>
/// Runs a night of stub exposures (<see cref="StubExposureActivities"/>) through the real night and exposure orchestrations
/// on the in-memory Durable host (<see cref="MeteredDurableHost"/>), over a local folder store holding empty inputs, and
/// reads back its summary and report. The CI test runs 10,000 exposures; <c>bench night-scale</c> runs a Rubin night.
/// </summary>
public static class NightScaleRun
{
    /// <summary>The configuration every exposure is "reduced" with (the night's steps check and canonicalise it).</summary>
    public const string ConfigJson = """{"mapper":{"name":"add","addAmount":5},"reducer":{"reduceOperation":"average"}}""";

    /// <summary>Runs one night; the store's folder is removed afterwards.</summary>
    public static async Task<NightScaleResult> RunAsync(NightScaleOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var setup = Stopwatch.StartNew();
        // tmpfs when there is one: the inputs are many and empty, and the store's cost is not what this measures.
        string root = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "imred-night-scale-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new LocalFolderBlobStore(root);
            await WriteInputsAsync(store, options, cancellationToken).ConfigureAwait(false);
            var purger = new LatePurger();
            var app = new ReductionActivities(ReductionServices.Create(store), Options.Create(new ImageReducerOptions()),
                NullLogger<ReductionActivities>.Instance, purger);
            var stubs = new StubExposureActivities(app, options.Tiles, input => options.FailsAt(IndexOf(input, options)),
                input => options.DeclinedAt(IndexOf(input, options)));
            await using MeteredDurableHost host = await MeteredDurableHost.StartAsync(r => r.AddImageReducerWorkflow(_ => stubs), options.Concurrency).ConfigureAwait(false);
            purger.Inner = new DurableClientPurger(host.Client);
            setup.Stop();

            var night = new NightRequest("incoming", "night/", "outputs", "night/", Engine.Config.ConfigJson.Deserialize(ConfigJson), TileSize: 1024, options.MaxConcurrentExposures)
                { Flow = options.Flow };
            var clock = Stopwatch.StartNew();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.ReduceNight, night,
                new StartOrchestrationOptions("scale-night"), timeout.Token).ConfigureAwait(false);
            var progress = new List<ReductionProgress>();
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            Task reading = ReadProgressAsync(host.Client, id, options.ProgressInterval, progress, ended.Token);
            OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token).ConfigureAwait(false);
            clock.Stop();
            await ended.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
            if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
                throw new InvalidOperationException($"the night ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorType}: {done.FailureDetails?.ErrorMessage}");

            BlobPath summaryPath = done.ReadOutputAs<BlobPath>() ?? throw new InvalidOperationException("the night returned no summary path");
            var summary = WorkflowJson.Deserialize<NightSummary>(await store.ReadRangeAsync(summaryPath, 0, 1 << 20, timeout.Token).ConfigureAwait(false));
            var (lines, inputs, failed, longestLine, longestError) = await ReadReportAsync(store, summary.Report, timeout.Token).ConfigureAwait(false);
            int left = 0;
            await foreach (OrchestrationMetadata instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = id + "-b" }).ConfigureAwait(false))
            {
                if (instance.Name == WorkflowNames.ReduceExposure) left++;
            }
            return new NightScaleResult(summary, lines, inputs, failed, longestLine, longestError, left, setup.Elapsed, clock.Elapsed, host.Meter, progress);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Reads the night's live progress every <paramref name="interval"/> until cancelled, as a status reader does.</summary>
    private static async Task ReadProgressAsync(DurableTaskClient client, string id, TimeSpan interval, List<ReductionProgress> readings,
        CancellationToken cancellationToken)
    {
        async Task<ReductionProgress?> StatusOf(string instance, CancellationToken token) =>
            (await client.GetInstanceAsync(instance, getInputsAndOutputs: true, token).ConfigureAwait(false)) is { SerializedCustomStatus: not null } m
                ? m.ReadCustomStatusAs<ReductionProgress>() : null;
        try
        {
            while (true)
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                if (await StatusOf(id, cancellationToken).ConfigureAwait(false) is { } night)
                    readings.Add(await NightProgress.LiveAsync(id, night, StatusOf, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the night ended
        }
    }

    private static int IndexOf(BlobPath input, NightScaleOptions options)
    {
        // night/visit-VVVVV/ccd-CCC.fits
        string name = input.Name;
        int visit = int.Parse(name.AsSpan(12, 5), provider: null);
        int ccd = int.Parse(name.AsSpan(22, 3), provider: null);
        return visit * options.PerVisit + ccd;
    }

    private static async Task WriteInputsAsync(IBlobStore store, NightScaleOptions options, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Exposures), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                using var empty = new MemoryStream([]);
                await store.WriteAsync(new BlobPath("incoming", options.NameOf(i)), empty, overwrite: true, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    private static async Task<(int Lines, int Inputs, int Failed, int LongestLine, int LongestError)> ReadReportAsync(IBlobStore store, BlobPath report,
        CancellationToken cancellationToken)
    {
        var inputs = new HashSet<string>(StringComparer.Ordinal);
        int lines = 0, failed = 0, longestLine = 0, longestError = 0;
        await using Stream stream = await store.OpenReadAsync(report, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lines++;
            longestLine = Math.Max(longestLine, System.Text.Encoding.UTF8.GetByteCount(line));
            NightReportEntry entry = JsonSerializer.Deserialize<NightReportEntry>(line, WorkflowJson.CompactOptions)
                ?? throw new InvalidOperationException($"line {lines} of {report} is null");
            inputs.Add(entry.Input.Name);
            if (entry.Status == NightExposureStatus.Failed) failed++;
            longestError = Math.Max(longestError, entry.Error?.Length ?? 0);
        }
        return (lines, inputs.Count, failed, longestLine, longestError);
    }

    /// <summary>The night's purger, bound to the host's client once the host exists (the activities are built before it).</summary>
    private sealed class LatePurger : IInstancePurger
    {
        public DurableClientPurger? Inner { get; set; }

        public Task<int> PurgeAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken = default) =>
            Inner?.PurgeAsync(instanceIds, cancellationToken) ?? Task.FromResult(0);
    }
}
