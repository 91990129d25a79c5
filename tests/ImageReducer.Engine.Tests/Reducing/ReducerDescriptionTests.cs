using System.Text.RegularExpressions;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Reducing;
using ImageReducer.TestSupport;

namespace ImageReducer.Engine.Tests.Reducing;

/// <summary>
/// Each reduce operation is one engine object that says what it produces; the workflow and the CLI ask it
/// instead of switching on <see cref="ReduceOperation"/>, and each operation is declared in its reducer's file.
/// </summary>
public partial class ReducerDescriptionTests
{
    [Theory]
    [InlineData("none", OutputKind.Results, PsfRule.None, ".results.json", false)]
    [InlineData("copy", OutputKind.Exposure, PsfRule.Input, ".fits", false)]
    [InlineData("sum", OutputKind.Exposure, PsfRule.CoaddOfResults, ".fits", false)]
    [InlineData("average", OutputKind.Exposure, PsfRule.CoaddOfResults, ".fits", true)]
    [InlineData("coaddPsf", OutputKind.Psf, PsfRule.CoaddOfResults, ".psf.fits", false)]
    public void EachOperation_DescribesItsOutput_PsfRule_FileSuffix_AndOverlapReport(string opName, OutputKind output, PsfRule psf,
        string suffix, bool reportsOverlap)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        IReducer reducer = Reducers.For(op);

        Assert.Equal((op, output, psf, suffix, reportsOverlap), (reducer.Operation, reducer.Output, reducer.PsfRule, reducer.OutputSuffix, reducer.ReportsOverlap));
    }

    [Fact]
    public void EveryRegisteredOperation_NamesAReducerThatImplementsIt()
    {
        string[] names = [.. ReduceOperation.All.Select(o => o.Name)];
        Assert.Subset(names.ToHashSet(), new HashSet<string> { "none", "copy", "sum", "average", "coaddPsf" }); // the reference's words
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        foreach (ReduceOperation op in ReduceOperation.All)
            Assert.Same(op, Reducers.Create(new ReducerConfig { ReduceOperation = op, BadMaskPlanes = ["BAD"] }).Operation);
    }

    [Fact]
    public void EveryOperation_IsDeclaredInTheSourceFileOfItsReducer_AndNowhereElse()
    {
        // An operation is one engine file: its declaration (the compiler records the declaring file) sits in the file
        // that declares the reducer class it builds, and no other engine code about reduce operations names it. A central list of operations
        // (an enum word, a registration table, a switch) would put the name in a second file and fail here.
        string root = SharedBench.FindRepositoryRoot() ?? throw new Xunit.Sdk.XunitException("no ImageReducer.sln above the tests");
        string engine = Path.Combine(root, "src", "ImageReducer.Engine");
        string[] sources = Directory.EnumerateFiles(engine, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToArray();
        foreach (ReduceOperation op in ReduceOperation.All)
        {
            string declaredIn = EngineFile(engine, op.DefinedIn);
            Type reducer = Reducers.For(op).GetType();
            Assert.True(Regex.IsMatch(File.ReadAllText(declaredIn), $@"\bclass {reducer.Name}\b"),
                $"{op.Name} is declared in {Path.GetFileName(declaredIn)}, which does not declare its reducer {reducer.Name}");
            string[] naming = sources.Where(f => NamesOperation(f, op.Name)).Select(Path.GetFileName).ToArray()!;
            Assert.Equal([Path.GetFileName(declaredIn)], naming);
        }
    }

    // True when the code (comments aside) of a file about reduce operations has the operation's word as a literal.
    private static bool NamesOperation(string file, string word)
    {
        string[] code = File.ReadAllLines(file).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)).ToArray();
        return code.Any(l => l.Contains("ReduceOperation", StringComparison.Ordinal) || l.Contains("IReducer", StringComparison.Ordinal))
            && code.Any(l => l.Contains($"\"{word}\"", StringComparison.Ordinal));
    }

    // The compiler's path of the declaring file, found in this checkout (the build may have run elsewhere).
    private static string EngineFile(string engine, string compiledPath)
    {
        string normal = compiledPath.Replace('\\', '/');
        int at = normal.LastIndexOf("/ImageReducer.Engine/", StringComparison.Ordinal);
        Assert.True(at >= 0, $"the declaring file {compiledPath} is not in the engine");
        string local = Path.Combine(engine, normal[(at + "/ImageReducer.Engine/".Length)..]);
        Assert.True(File.Exists(local), $"the declaring file {local} does not exist");
        return local;
    }

    [Fact]
    public void CopySumAndAverage_AreOneStitchingReducer_WithThreeRules()
    {
        var reducers = new[] { ReduceOperation.Copy, ReduceOperation.Sum, ReduceOperation.Average }.Select(Reducers.For).ToArray();

        Assert.All(reducers, r => Assert.IsType<StitchingReducer>(r));
        Assert.Equal(3, reducers.Select(r => (r.PsfRule, r.ReportsOverlap)).Distinct().Count());
        Assert.All(reducers, r => Assert.Equal((OutputKind.Exposure, ".fits"), (r.Output, r.OutputSuffix)));
    }

    [Theory]
    [InlineData("noSuchOperation")] // a word no operation will take (a new operation must not need this test changed)
    [InlineData("Average")]
    public void UnknownOperation_IsRefused_NamingTheFieldAndTheRegisteredWords(string word)
    {
        var e = Assert.Throws<ConfigValidationException>(() => ConfigJson.Deserialize($$$"""{"reducer": {"reduceOperation": "{{{word}}}"}}"""));

        Assert.Equal("reducer.reduceOperation", e.Field);
        Assert.Contains($"\"{word}\" is not allowed", e.Message);
        Assert.Contains(ReduceOperation.AllowedNames, e.Message);
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
    [GeneratedRegex(@"(==|!=|case|\bis)\s*(Engine\.Reducing\.)?ReduceOperation\.\w+|(Engine\.Reducing\.)?ReduceOperation\.\w+\s*(=>|:)")]
    private static partial Regex Decision();
}
