using System.Text.Json;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Api;

/// <summary>The API's records as both the app (writer) and the client (reader) see them: one definition, one set of JSON options.</summary>
public class ApiContractTests
{
    [Fact]
    public void Problem_IsWrittenTypeFirst_WithoutMissingErrors()
    {
        string json = JsonSerializer.Serialize(new Problem("Not found", 404, "no reduction with id 'x'"), ApiJson.Options);

        Assert.Equal("""{"type":"https://httpstatuses.io/404","title":"Not found","status":404,"detail":"no reduction with id \u0027x\u0027"}""", json);
    }

    [Fact]
    public void Problem_WithFieldErrors_ReadsBackAsWritten()
    {
        var errors = new Dictionary<string, string[]> { ["input"] = ["is required"] };

        Problem back = JsonSerializer.Deserialize<Problem>(JsonSerializer.Serialize(new Problem("Invalid request", 400, "see errors", errors), ApiJson.Options), ApiJson.Options)!;

        Assert.Equal(("Invalid request", 400, "see errors"), (back.Title, back.Status, back.Detail));
        Assert.Equal(["is required"], back.Errors!["input"]);
    }

    [Fact]
    public void RunAccepted_IsTheIdAndTheStatusRouteOnly_AndReadsBack()
    {
        var accepted = new RunAccepted("reduction-1a2b", new Uri("https://app.example/api/reductions/reduction-1a2b"));

        string json = JsonSerializer.Serialize(accepted, ApiJson.Options);

        Assert.Equal("""{"id":"reduction-1a2b","statusUri":"https://app.example/api/reductions/reduction-1a2b"}""", json);
        Assert.Equal(accepted, JsonSerializer.Deserialize<RunAccepted>(json, ApiJson.Options));
    }

    [Fact]
    public void ReductionBody_LeavesOutNullMembers_SoTheAppDefaultsApply()
    {
        string json = JsonSerializer.Serialize(new ReductionBody("incoming/a.fits", null, null, 64), ApiJson.Options);

        Assert.Equal("""{"input":"incoming/a.fits","tileSize":64}""", json);
    }

    [Fact]
    public void StatusDocument_RoundTrips_ProgressOutputAsABlobPath_AndTheErrorClassAsAWord()
    {
        var status = new StatusDocument("id1", "Running", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            new ReductionProgress("mapping", 2, 5, new BlobPath("outputs", "a.fits")), null, null)
        {
            Error = new ApiError(Engine.Errors.ErrorClass.BadInput, "Truncated", 422, "short file"),
        };

        string json = JsonSerializer.Serialize(status, ApiJson.Options);
        StatusDocument back = JsonSerializer.Deserialize<StatusDocument>(json, ApiJson.Options)!;

        Assert.Contains("\"output\":{\"container\":\"outputs\",\"name\":\"a.fits\"}", json);
        Assert.Contains("\"class\":\"badInput\"", json);
        Assert.Equal(status.Progress, back.Progress);
        Assert.Equal(status.Error, back.Error);
        Assert.Equal(("id1", "Running"), (back.Id, back.RuntimeStatus));
    }
}
