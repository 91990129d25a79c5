using ImageReducer.Workflow.Configuration;

namespace ImageReducer.Workflow.Tests.Configuration;

/// <summary>The allow-list settings are checked at startup, each problem named after its app setting.</summary>
public sealed class ImageReducerOptionsTests
{
    [Fact]
    public void Options_Defaults_HaveNoProblem()
    {
        Assert.Empty(new ImageReducerOptions().Problems());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Options_WholeExposureMemoryBudgetNotPositive_NamesTheSetting(long bytes)
    {
        var problems = new ImageReducerOptions { WholeExposureMemoryBytes = bytes }.Problems();

        Assert.Equal($"ImageReducer__WholeExposureMemoryBytes must be > 0 (was {bytes})", Assert.Single(problems));
    }

    [Fact]
    public void Options_ExposureFlowOutOfRange_NamesTheSettingAndTheChoices()
    {
        var problems = new ImageReducerOptions { NightExposureFlow = (Workflow.Reduction.ExposureFlow)7 }.Problems();

        Assert.Equal("ImageReducer__NightExposureFlow: expected auto, whole or tiled (was 7)", Assert.Single(problems));
    }

    [Fact]
    public void Options_Defaults_FlowsAreTiledForOneReductionAndAutoForANightWithA1GiBBudget()
    {
        var options = new ImageReducerOptions();

        Assert.Equal((Workflow.Reduction.ExposureFlow.Tiled, Workflow.Reduction.ExposureFlow.Auto, 1L << 30),
            (options.ExposureFlow, options.NightExposureFlow, options.WholeExposureMemoryBytes));
    }

    [Fact]
    public void Options_InvalidExtraContainers_NameTheSetting()
    {
        var problems = new ImageReducerOptions { InputContainers = "archive, Bad_Name", OutputContainers = "x" }.Problems();

        Assert.Contains(problems, p => p.StartsWith("ImageReducer__InputContainers", StringComparison.Ordinal) && p.Contains("Bad_Name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("ImageReducer__OutputContainers", StringComparison.Ordinal) && p.Contains("'x'", StringComparison.Ordinal));
        Assert.Equal(2, problems.Count);
    }

    [Theory]
    [InlineData("incoming", "", "")]        // outputs into the watched container would be reduced again
    [InlineData("outputs", "outputs", "")]  // an extra input container that is the output container
    [InlineData("outputs", "", "incoming")] // an extra output container that is the incoming one
    public void Options_OutputContainerThatIsAlsoAnInput_IsAProblem(string output, string inputs, string outputs)
    {
        var problems = new ImageReducerOptions { OutputContainer = output, InputContainers = inputs, OutputContainers = outputs }.Problems();

        Assert.Contains(problems, p => p.Contains("is also an input container; outputs must not go where inputs are read", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("incoming", "input")]
    [InlineData("outputs", "output")]
    public void Options_QuarantineSharedWithInputsOrOutputs_IsAProblem(string quarantine, string role)
    {
        var problems = new ImageReducerOptions { QuarantineContainer = quarantine }.Problems();

        Assert.Contains(problems, p => p.StartsWith("ImageReducer__QuarantineContainer", StringComparison.Ordinal) && p.Contains($"also an {role} container", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("incoming/a.fits", true)]
    [InlineData("2026-11-24/B.FITS", true)]   // case-insensitive, as the Event Grid filter
    [InlineData("night/c.fit", true)]
    [InlineData("a.fits.json", false)]         // a sidecar
    [InlineData("a.fits.fz", false)]           // compressed: the engine does not read it
    [InlineData("readme.txt", false)]
    [InlineData("night/.fits", false)]         // a hidden file, not an exposure called ".fits"
    [InlineData(".fits", false)]
    public void IsExposureName_ByTheDefaultSuffixes(string name, bool expected)
    {
        Assert.Equal(expected, new ImageReducerOptions().IsExposureName(name));
    }

    [Fact]
    public void IsExposureName_ConfiguredSuffixes_ReplaceTheDefaults()
    {
        var options = new ImageReducerOptions { ExposureSuffixes = " .fts , .fits.gz" };

        Assert.Empty(options.Problems());
        Assert.True(options.IsExposureName("a.FTS"));
        Assert.True(options.IsExposureName("a.fits.gz"));
        Assert.False(options.IsExposureName("a.fits"));
    }

    [Theory]
    [InlineData("", "at least one suffix")]
    [InlineData("fits", "'fits' is not a name ending")]
    [InlineData(".fits,*.fit", "'*.fit' is not a name ending")]
    [InlineData(".a/b", "'.a/b' is not a name ending")]
    [InlineData(".", "'.' is not a name ending")]
    public void ExposureSuffixes_Invalid_IsAProblemNamingTheSetting(string suffixes, string why)
    {
        var problems = new ImageReducerOptions { ExposureSuffixes = suffixes }.Problems();

        string problem = Assert.Single(problems);
        Assert.StartsWith("ImageReducer__ExposureSuffixes", problem, StringComparison.Ordinal);
        Assert.Contains(why, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ExposureSuffixes_MoreThanTheEventGridFilterTakes_IsAProblem()
    {
        string many = string.Join(',', Enumerable.Range(0, ImageReducerOptions.MaxExposureSuffixes + 1).Select(i => $".f{i}"));

        string problem = Assert.Single(new ImageReducerOptions { ExposureSuffixes = many }.Problems());

        Assert.Contains("26 suffixes; at most 25", problem, StringComparison.Ordinal);
    }
}
