using System.Text.Json;
using System.Text.RegularExpressions;
using ImageReducer.TestSupport;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Reduction;
using Xunit;

namespace ImageReducer.Functions.Tests.Triggers;

/// <summary>
/// The deployment template gives the app the exposure-flow settings with the app's own defaults, and sizes the
/// whole-exposure memory budget from the instance memory and the activities an instance runs at once (host.json).
/// </summary>
public sealed partial class InfraExposureFlowTests
{
    private static readonly string Root = SharedBench.FindRepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
    private static readonly string Main = File.ReadAllText(Path.Combine(Root, "infra", "main.bicep"));

    [Theory]
    [InlineData("exposureFlow", "ImageReducer__ExposureFlow")]
    [InlineData("nightExposureFlow", "ImageReducer__NightExposureFlow")]
    public void Infra_FlowParameters_DefaultToTheAppsDefaults_AndReachTheApp(string parameter, string setting)
    {
        Match declared = Regex.Match(Main, $@"param {parameter} string = '(?<value>[a-z]+)'");
        Assert.True(declared.Success, $"main.bicep declares no 'param {parameter} string = ...'");
        var options = new ImageReducerOptions();
        ExposureFlow expected = parameter == "exposureFlow" ? options.ExposureFlow : options.NightExposureFlow;
        Assert.Equal(expected.ToString().ToLowerInvariant(), declared.Groups["value"].Value);
        // Every value the app accepts is allowed, and nothing else.
        Match allowed = Regex.Match(Main, $@"@allowed\(\[(?<list>[^\]]*)\]\)\s*param {parameter} string");
        Assert.True(allowed.Success, $"main.bicep gives {parameter} no @allowed list");
        string[] values = [.. Regex.Matches(allowed.Groups["list"].Value, "'([^']*)'").Select(m => m.Groups[1].Value).Order()];
        Assert.Equal(Enum.GetNames<ExposureFlow>().Select(n => n.ToLowerInvariant()).Order(), values);
        Assert.Contains($"{{ name: '{setting}', value: {parameter} }}", Main, StringComparison.Ordinal);
    }

    [Fact]
    public void Infra_WholeExposureBudget_IsTheInstanceMemoryShared_ByTheActivitiesAnInstanceRuns()
    {
        Match budget = BudgetParameter().Match(Main);
        Assert.True(budget.Success, "main.bicep declares no 'param wholeExposureMemoryBytes int = instanceMemoryMB * 1048576 / N'");
        using JsonDocument host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "host.json")));
        int activities = host.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("maxConcurrentActivityFunctions").GetInt32();
        Assert.Equal(activities, int.Parse(budget.Groups["divisor"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("{ name: 'ImageReducer__WholeExposureMemoryBytes', value: string(wholeExposureMemoryBytes) }", Main, StringComparison.Ordinal);
        // At the largest instance the budget is the app's default (a 4096² CCD runs whole); at the default one it is a share.
        Assert.Equal(ExposureFlowPolicy.DefaultMemoryBudgetBytes, 4096L * 1048576 / activities);
    }

    [GeneratedRegex(@"param wholeExposureMemoryBytes int = instanceMemoryMB \* 1048576 / (?<divisor>\d+)")]
    private static partial Regex BudgetParameter();
}
