using System.Text.RegularExpressions;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Reducing;
using ImageReducer.TestSupport;

namespace ImageReducer.Engine.Tests.Reducing;

/// <summary>
/// Each reduce operation is one engine object that says what it produces; the workflow and the CLI ask it
/// instead of switching on <see cref="ReduceOperation"/>.
/// </summary>
public partial class ReducerDescriptionTests
{
    [Theory]
    [InlineData(ReduceOperation.None, OutputKind.Results, PsfRule.None, ".results.json", false)]
    [InlineData(ReduceOperation.Copy, OutputKind.Exposure, PsfRule.Input, ".fits", false)]
    [InlineData(ReduceOperation.Sum, OutputKind.Exposure, PsfRule.CoaddOfResults, ".fits", false)]
    [InlineData(ReduceOperation.Average, OutputKind.Exposure, PsfRule.CoaddOfResults, ".fits", true)]
    [InlineData(ReduceOperation.CoaddPsf, OutputKind.Psf, PsfRule.CoaddOfResults, ".psf.fits", false)]
    public void EachOperation_DescribesItsOutput_PsfRule_FileSuffix_AndOverlapReport(ReduceOperation op, OutputKind output, PsfRule psf,
        string suffix, bool reportsOverlap)
    {
        IReducer reducer = Reducers.For(op);

        Assert.Equal((op, output, psf, suffix, reportsOverlap), (reducer.Operation, reducer.Output, reducer.PsfRule, reducer.OutputSuffix, reducer.ReportsOverlap));
    }

    [Fact]
    public void EveryDefinedOperation_NamesAReducerThatImplementsIt()
    {
        foreach (ReduceOperation op in Enum.GetValues<ReduceOperation>())
            Assert.Equal(op, Reducers.Create(new ReducerConfig { ReduceOperation = op, BadMaskPlanes = ["BAD"] }).Operation);
    }

    [Fact]
    public void CopySumAndAverage_AreOneStitchingReducer_WithThreeRules()
    {
        var reducers = new[] { ReduceOperation.Copy, ReduceOperation.Sum, ReduceOperation.Average }.Select(Reducers.For).ToArray();

        Assert.All(reducers, r => Assert.IsType<StitchingReducer>(r));
        Assert.Equal(3, reducers.Select(r => (r.PsfRule, r.ReportsOverlap)).Distinct().Count());
        Assert.All(reducers, r => Assert.Equal((OutputKind.Exposure, ".fits"), (r.Output, r.OutputSuffix)));
    }

    [Fact]
    public void UndefinedOperation_IsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Reducers.For((ReduceOperation)42));
        Assert.Contains("reduceOperation", e.Message);
    }

    [Fact]
    public void NoCodeOutsideTheEngine_SwitchesOnTheReduceOperation()
    {
        string root = SharedBench.FindRepositoryRoot() ?? throw new Xunit.Sdk.XunitException("no ImageReducer.sln above the tests");
        var offenders = new List<string>();
        foreach (string project in new[] { "ImageReducer.Workflow", "ImageReducer.Functions", "ImageReducer.Cli" })
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, "src", project), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
                string[] lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                    if (Decision().IsMatch(lines[i])) offenders.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {lines[i].Trim()}");
            }

        Assert.Empty(offenders);
    }

    // A comparison with, or a case/arm of, one operation: the decisions the reducer's description replaces.
    [GeneratedRegex(@"(==|!=|case|\bis)\s*(Engine\.Config\.)?ReduceOperation\.\w+|(Engine\.Config\.)?ReduceOperation\.\w+\s*(=>|:)")]
    private static partial Regex Decision();
}
