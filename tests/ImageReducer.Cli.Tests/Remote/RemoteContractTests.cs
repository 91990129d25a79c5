using System.Text.Json;
using ImageReducer.Cli.Errors;
using ImageReducer.Cli.Remote;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Cli.Tests.Remote;

/// <summary>The client's pieces without a server: endpoint resolution, durations, back-off, and reading status documents.</summary>
public class RemoteContractTests
{
    [Theory]
    [InlineData("https://app.azurewebsites.net", "https://app.azurewebsites.net/api/reductions/a%2Fb")]
    [InlineData("https://app.azurewebsites.net/api", "https://app.azurewebsites.net/api/reductions/a%2Fb")]
    [InlineData("http://localhost:7071/", "http://localhost:7071/api/reductions/a%2Fb")]
    [InlineData("https://gateway.example.org/imred/", "https://gateway.example.org/imred/api/reductions/a%2Fb")]
    public void Endpoint_BuildsTheStatusUrl_UnderItsPath_WithTheIdEscaped(string endpoint, string expected)
    {
        RemoteEndpoint resolved = RemoteEndpoint.Resolve(endpoint, null, _ => null);

        Assert.Equal(expected, resolved.StatusUrl("a/b"));
        Assert.Null(resolved.FunctionKey);
    }

    [Fact]
    public void Endpoint_OptionsWinOverTheEnvironment_WhichFillsTheGaps()
    {
        var env = new Dictionary<string, string?> { [RemoteEndpoint.EndpointVariable] = "http://env:7071", [RemoteEndpoint.KeyVariable] = "env-key" };

        RemoteEndpoint fromEnv = RemoteEndpoint.Resolve(null, null, n => env.GetValueOrDefault(n));
        RemoteEndpoint fromOptions = RemoteEndpoint.Resolve("http://opt:1", "opt-key", n => env.GetValueOrDefault(n));

        Assert.Equal(("http://env:7071", "env-key"), (fromEnv.Display, fromEnv.FunctionKey));
        Assert.Equal(("http://opt:1", "opt-key"), (fromOptions.Display, fromOptions.FunctionKey));
    }

    [Fact]
    public void Endpoint_Missing_IsAUsageErrorNamingBothWays()
    {
        var e = Assert.Throws<UsageException>(() => RemoteEndpoint.Resolve(null, "k", _ => null));

        Assert.Contains("--endpoint", e.Message);
        Assert.Contains(RemoteEndpoint.EndpointVariable, e.Message);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("1.5m", 90)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("45", 45)]
    public void Durations_Parse(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out TimeSpan value));
        Assert.Equal(seconds, value.TotalSeconds, precision: 9);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5s")]
    [InlineData("soon")]
    [InlineData("8d")]
    [InlineData("NaN")]
    public void Durations_RejectNonPositiveUnknownOrTooLong(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void RetryPolicy_DoublesFromTheFirstDelay_UpToTheMaximum_AndHonoursRetryAfterWithinIt()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(100));

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], Enumerable.Range(1, 7).Select(r => policy.DelayBefore(r, null).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(3), policy.DelayBefore(1, TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.DelayBefore(1, TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.Zero, policy.DelayBefore(1, TimeSpan.FromSeconds(-4)));
    }

    [Theory]
    [InlineData("""{"status":"succeeded","output":{"container":"o","name":"a.fits"}}""", "succeeded", "az://o/a.fits")]
    [InlineData("""{"Status":0,"Output":{"Container":"o","Name":"a.fits"}}""", "succeeded", "az://o/a.fits")]
    [InlineData("""{"Status":1,"Error":"bad"}""", "failed", null)]
    [InlineData("""{"status":"Failed","error":"bad"}""", "failed", null)]
    [InlineData("""{"container":"o","name":"n/night-report.json"}""", "succeeded", "az://o/n/night-report.json")]
    public void RemoteRun_ReadsTheOutput_WhateverTheConvertersNamingAndEnumForm(string output, string outcome, string? blob)
    {
        var status = new StatusDocument("id1", "Completed", null, null, null, JsonDocument.Parse(output).RootElement, null);

        RemoteRun run = RemoteRun.From(status, "http://x/api/reductions/id1");

        Assert.Equal((outcome, blob), (run.Outcome, run.Output));
        Assert.Equal(outcome == "failed" ? "bad" : null, run.Error);
    }

    [Theory]
    [InlineData("Pending", "running")]
    [InlineData("Running", "running")]
    [InlineData("Suspended", "running")]
    [InlineData("ContinuedAsNew", "running")]
    [InlineData("Failed", "failed")]
    [InlineData("Terminated", "failed")]
    [InlineData("Canceled", "failed")]
    public void RemoteRun_MapsTheRuntimeStatus(string runtimeStatus, string outcome)
    {
        RemoteRun run = RemoteRun.From(new StatusDocument("id1", runtimeStatus, null, null, null, null, null), "u");

        Assert.Equal(outcome, run.Outcome);
        Assert.Equal(outcome != "running", run.HasEnded);
    }

    [Fact]
    public void RemoteErrors_HaveTheirDocumentedExitCodes()
    {
        Assert.Equal(2, ErrorClassifier.ExitCodeOf(new RemoteProblemException("refused", ["input: missing"])));
        Assert.Equal(3, ErrorClassifier.ExitCodeOf(new RunFailedException("failed")));
        Assert.Equal(4, ErrorClassifier.ExitCodeOf(new RemoteServiceException("unreachable")));
        Assert.Equal("unreachable", ErrorClassifier.MessageOf(new RemoteServiceException("unreachable"))); // no type name: an expected error
    }
}
