using ImageReducer.Cli.Progress;
using ImageReducer.Cli.Remote;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Cli.Tests.Remote;

/// <summary>
/// What <c>imred night --wait</c> shows while a night runs, without a terminal (a log, CI): a line whenever the night's
/// batches, lanes or failures change, with its exposures done so far, then the phase's closing line.
/// </summary>
public class NightProgressDisplayTests
{
    private static RemoteRun Night(string runtime, string phase, int done, int batchesDone, int failed = 0) =>
        RemoteRun.From(new StatusDocument("n1", runtime, null, null,
            new ReductionProgress(phase, done, 1_000, Failed: failed) { Batches = 6, BatchesDone = batchesDone, Lanes = phase == "listing" ? 0 : 2 },
            null, null), "https://app/api/nights/n1");

    [Fact]
    public void Show_ReducingNight_WritesALinePerChangeOfBatchesOrFailures_WithTheExposuresDone()
    {
        var error = new StringWriter();
        using (var progress = new RunProgress(new PlainProgressDisplay(error)))
        {
            progress.Show(Night("Running", "reducing", 0, 0));
            progress.Show(Night("Running", "reducing", 120, 0));   // exposures only: the same counts, no new line
            progress.Show(Night("Running", "reducing", 340, 1));
            progress.Show(Night("Running", "reducing", 610, 3, failed: 2));
            progress.Show(Night("Completed", "failed", 1_000, 6, failed: 2));
        }

        string[] lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("imred: reducing 0/1000 exposures (0/6 batches, 2 lanes, 0 failed, 0 skipped)", lines[0]);
        Assert.Equal("imred: reducing 340/1000 exposures (1/6 batches, 2 lanes, 0 failed, 0 skipped)", lines[1]);
        Assert.Equal("imred: reducing 610/1000 exposures (3/6 batches, 2 lanes, 2 failed, 0 skipped)", lines[2]);
        // The night's last status: its final counts, and no "done" line (a night with casualties abandons its phase).
        Assert.Equal("imred: reducing 1000/1000 exposures (6/6 batches, 2 lanes, 2 failed, 0 skipped)", lines[3]);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public void RemoteRun_OfANight_CarriesItsBatchCounts_ButAReductionDoesNot()
    {
        Assert.Equal("3/6 batches, 2 lanes, 2 failed, 0 skipped", Night("Running", "reducing", 610, 3, failed: 2).Night!.ToString());
        var reduction = RemoteRun.From(new StatusDocument("r1", "Running", null, null, new ReductionProgress("mapping", 2, 4), null, null), "u");
        Assert.Null(reduction.Night);
    }
}
