using ImageReducer.Bench.NightModel;

namespace ImageReducer.Workflow.Tests.NightModel;

/// <summary>The Rubin-night model's arithmetic on cases worked out by hand, and its inputs file.</summary>
public sealed class NightSimulatorTests
{
    private static NightModelInputs Inputs(int exposures, double dispatch = 1e9, int perInstance = 1, double start = 0) => new NightModelInputs
    {
        Exposures = exposures, TilesPerExposure = 2, PlanSeconds = 1, MapTileSeconds = 10, ReduceSeconds = 3, ActivityPeakMiB = 100,
        DispatchPerSecond = dispatch, OrchestrationEpisodesPerExposure = 4, InstanceMemoryGB = 2, ActivitiesPerInstance = perInstance,
        InstanceStartSeconds = start, PricePerGBSecond = 0.000026, PricePerMillionExecutions = 0.40,
    }.Validate();

    [Fact]
    public void OneInstance_RunsEveryActivityInTurn_WallIsTheSumAndCostIsItsGBSeconds()
    {
        NightPrediction p = NightSimulator.Run(Inputs(3), instances: 1);

        // 3 exposures × (1 + 2 × 10 + 3) = 72 s, one activity at a time.
        Assert.Equal(72, p.WallSeconds, 6);
        Assert.Equal(72, p.BusyInstanceSeconds, 6);
        // 12 activities + 3 starts + 3 × 4 episodes = 27 executions.
        Assert.Equal(27, p.Executions);
        Assert.Equal(72 * 2 * 0.000026 + 27 / 1e6 * 0.40, p.ComputeDollars, 12);
        Assert.False(p.DispatchBound);
    }

    [Fact]
    public void WholeFlow_NoStartEpisode_ExecutionsAreTheActivitiesAndTheBatchsShare()
    {
        NightModelInputs whole = Inputs(3) with
        {
            TilesPerExposure = 1, PlanSeconds = 0, ReduceSeconds = 0, MapTileSeconds = 2, StartEpisodesPerExposure = 0, OrchestrationEpisodesPerExposure = 0.5,
        };

        NightPrediction p = NightSimulator.Run(whole, instances: 1);

        Assert.Equal(6, p.WallSeconds, 6);
        // 3 activities + 3 × 0.5 batch episodes (rounded), no exposure orchestration.
        Assert.Equal(3 + 2, p.Executions);
    }

    [Fact]
    public void EnoughInstances_EveryExposureRunsAtOnce_WallIsOneExposuresCriticalPath()
    {
        NightPrediction p = NightSimulator.Run(Inputs(5, start: 2), instances: 10);

        // Start 2 s, then plan 1 + the two tiles side by side 10 + reduce 3.
        Assert.Equal(16, p.WallSeconds, 6);
        Assert.Equal(5 * 24, p.BusyInstanceSeconds, 6);
        Assert.Equal(10 * 16, p.AllocatedInstanceSeconds, 6);
    }

    [Fact]
    public void SlowDispatcher_BoundsTheNight_AtItsWorkItemsOverItsRate()
    {
        // 100 exposures × (4 activities + 1 start + 4 episodes) = 900 work items at 10 per second: 90 s at least.
        NightPrediction p = NightSimulator.Run(Inputs(100, dispatch: 10), instances: 1000);

        Assert.True(p.DispatchBound);
        Assert.InRange(p.WallSeconds, 90 - 1e-6, 90 + 14 + 1);
    }

    [Fact]
    public void ActivitiesPerInstance_DivideTheBusyInstanceTime()
    {
        NightPrediction one = NightSimulator.Run(Inputs(20, perInstance: 1), instances: 4);
        NightPrediction four = NightSimulator.Run(Inputs(20, perInstance: 4), instances: 1);

        Assert.Equal(one.WallSeconds, four.WallSeconds, 6); // 4 slots either way
        Assert.Equal(one.BusyInstanceSeconds / 4, four.BusyInstanceSeconds, 6);
    }

    [Fact]
    public void UsableInstances_AreCappedByTheAppLimitAndTheRegionalQuota()
    {
        NightModelInputs inputs = Inputs(1) with { MaxInstances = 1000, RegionalCoreQuota = 250, InstanceVcpu = 1 };

        Assert.Equal(100, NightSimulator.UsableInstances(inputs, 100));
        Assert.Equal(250, NightSimulator.UsableInstances(inputs, 1000));
        Assert.Equal(1000, NightSimulator.UsableInstances(inputs, 1000, respectQuota: false));
        Assert.Equal(1000, NightSimulator.UsableInstances(inputs, 5000, respectQuota: false));
    }

    [Fact]
    public void InputsFile_ShippedWithTheBench_LoadsAndIsValid()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "night-model-inputs.json");

        NightModelInputs inputs = NightModelInputs.Load(path);

        Assert.Equal(189_000, inputs.Exposures);
        Assert.True(inputs.ActivitySecondsPerExposure > 0);
    }

    [Fact]
    public void InputsFile_ActivitiesThatDoNotFitTheInstance_AreRefusedNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"night-model-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"planSeconds": 1, "mapTileSeconds": 1, "reduceSeconds": 1, "dispatchPerSecond": 10, "activityPeakMiB": 1500, "activitiesPerInstance": 2, "instanceMemoryGB": 2}""");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => NightModelInputs.Load(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("do not fit", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void InputsFile_WithOverrides_IsThatDesignVariant_AndAnUnknownNameIsRefused()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "night-model-inputs.json");

        NightModelInputs one = NightModelInputs.Load(path, ["tilesPerExposure=1", "planSeconds=0", "reduceSeconds=0", "mapTileSeconds=3.25"]);

        Assert.Equal((1, 3.25), (one.TilesPerExposure, one.ActivitySecondsPerExposure));
        Assert.Equal(NightModelInputs.Load(path).DispatchPerSecond, one.DispatchPerSecond); // the rest is the file's
        var e = Assert.Throws<InvalidDataException>(() => NightModelInputs.Load(path, ["tilesPerExposur=1"]));
        Assert.Contains("no 'tilesPerExposur'", e.Message);
    }

    [Fact]
    public void NoPlanOrReduce_OneActivityPerExposure_HasNoSuchStepsToRunOrDispatch()
    {
        NightModelInputs single = Inputs(3) with { TilesPerExposure = 1, PlanSeconds = 0, ReduceSeconds = 0, MapTileSeconds = 5 };

        NightPrediction p = NightSimulator.Run(single, instances: 1);

        // 3 exposures × one 5 s activity in turn; 3 activities + 3 starts + 3 × 4 episodes.
        Assert.Equal(15, p.WallSeconds, 6);
        Assert.Equal(18, p.Executions);
    }
}
