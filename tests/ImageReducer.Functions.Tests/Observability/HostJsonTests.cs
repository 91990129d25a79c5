using System.Text.Json;

namespace ImageReducer.Functions.Tests.Observability;

/// <summary>host.json keeps the telemetry useful and bounded: sampling on, requests and exceptions never sampled, the app's categories at Information.</summary>
public sealed class HostJsonTests
{
    private static JsonElement HostJson()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "host.json");
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "ImageReducer.sln")))
                return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
        }
        throw new InvalidOperationException("no host.json beside ImageReducer.sln");
    }

    [Fact]
    public void HostJson_Sampling_IsOnAndSparesRequestsAndExceptions()
    {
        JsonElement sampling = HostJson().GetProperty("logging").GetProperty("applicationInsights").GetProperty("samplingSettings");

        Assert.True(sampling.GetProperty("isEnabled").GetBoolean());
        string[] excluded = sampling.GetProperty("excludedTypes").GetString()!.Split(';');
        Assert.Contains("Request", excluded);
        Assert.Contains("Exception", excluded);
        Assert.InRange(sampling.GetProperty("maxTelemetryItemsPerSecond").GetInt32(), 5, 100);
    }

    [Fact]
    public void HostJson_LogLevels_KeepFunctionInformationAndQuietDurableInternals()
    {
        JsonElement levels = HostJson().GetProperty("logging").GetProperty("logLevel");

        Assert.Equal("Information", levels.GetProperty("default").GetString());
        Assert.Equal("Information", levels.GetProperty("Function").GetString());
        Assert.Equal("Warning", levels.GetProperty("DurableTask.Core").GetString());
    }
}
