using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Nights;

namespace ImageReducer.Workflow.Tests.Nights;

public class NightProgressTests
{
    private static Func<string, CancellationToken, Task<ReductionProgress?>> Statuses(Dictionary<string, ReductionProgress> statuses) =>
        (id, _) => Task.FromResult(statuses.GetValueOrDefault(id));

    [Fact]
    public async Task LiveAsync_ReducingNight_AddsItsLanesAndTheBatchesTheyAreRunning()
    {
        var night = new ReductionProgress("reducing", 0, 1_000) { Batches = 6, Lanes = 2 };
        var statuses = new Dictionary<string, ReductionProgress>
        {
            // Lane 0 finished batches 0 and 2 (300 exposures, 4 failed, 10 skipped) and runs batch 4 (20 done, 1 failed).
            [NightLayout.LaneInstance("n", 0)] = new("reducing", 300, 0, Failed: 4) { BatchesDone = 2, Skipped = 10, CurrentBatch = 4 },
            [NightLayout.BatchInstance("n", 4)] = new("reducing", 20, 0, Failed: 1),
            // Lane 1 finished batch 1 and has not started batch 3's status yet.
            [NightLayout.LaneInstance("n", 1)] = new("reducing", 150, 0) { BatchesDone = 1, CurrentBatch = 3 },
        };

        ReductionProgress live = await NightProgress.LiveAsync("n", night, Statuses(statuses));

        Assert.Equal((470, 5, 10, 3), (live.TilesDone, live.Failed, live.Skipped, live.BatchesDone));
        Assert.Equal((1_000, 6, 2, "reducing"), (live.TilesTotal, live.Batches, live.Lanes, live.Phase));
    }

    [Theory]
    [InlineData("listing")]
    [InlineData("finishing")]
    [InlineData("succeeded")]
    public async Task LiveAsync_NightNotReducing_IsItsOwnStatusWithoutReadingAnyOther(string phase)
    {
        var night = new ReductionProgress(phase, 7, 9) { Lanes = 3 };
        int reads = 0;

        ReductionProgress live = await NightProgress.LiveAsync("n", night, (_, _) => { reads++; return Task.FromResult<ReductionProgress?>(null); });

        Assert.Same(night, live);
        Assert.Equal(0, reads);
    }
}
