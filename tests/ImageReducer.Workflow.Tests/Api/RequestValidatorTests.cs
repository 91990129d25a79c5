using System.Text.Json;
using ImageReducer.Engine.Mapping;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Options;

namespace ImageReducer.Workflow.Tests.Api;

public sealed class RequestValidatorTests
{
    private static readonly RequestValidator Validator = new(Options.Create(new ImageReducerOptions { TileSize = 256 }), new MapperRegistry());

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void Reduction_MinimalBody_UsesDefaultsAndDerivesTheOutput()
    {
        var (request, errors) = Validator.Validate(new ReductionBody("incoming/night/a.fits", null, null, null));

        Assert.Empty(errors);
        Assert.Equal(new BlobPath("incoming", "night/a.fits"), request!.Input);
        Assert.Equal(new BlobPath("outputs", "night/a.fits"), request.Output);
        Assert.Equal(256, request.TileSize);
    }

    [Fact]
    public void Flow_AbsentFromTheBody_IsTheAppsDefaultTiledForAReductionAndAutoForANight()
    {
        var (request, _) = Validator.Validate(new ReductionBody("incoming/a.fits", null, null, null));
        var (night, _) = Validator.Validate(new NightBody(null, "2026-11-24/", null, null, null, null, null));
        var whole = new RequestValidator(Options.Create(new ImageReducerOptions { ExposureFlow = ExposureFlow.Whole, NightExposureFlow = ExposureFlow.Tiled }),
            new MapperRegistry());
        var (request2, _) = whole.Validate(new ReductionBody("incoming/a.fits", null, null, null));
        var (night2, _) = whole.Validate(new NightBody(null, "2026-11-24/", null, null, null, null, null));

        Assert.Equal((ExposureFlow.Tiled, ExposureFlow.Auto), (request!.Flow, night!.Flow));
        Assert.Equal((ExposureFlow.Whole, ExposureFlow.Tiled), (request2!.Flow, night2!.Flow));
    }

    [Theory]
    [InlineData("whole", ExposureFlow.Whole)]
    [InlineData("tiled", ExposureFlow.Tiled)]
    [InlineData("auto", ExposureFlow.Auto)]
    public void Flow_GivenInTheBody_IsTakenForAReductionAndANight(string text, ExposureFlow flow)
    {
        var (request, _) = Validator.Validate(new ReductionBody("incoming/a.fits", null, null, null) { Flow = text });
        var (night, _) = Validator.Validate(new NightBody(null, "2026-11-24/", null, null, null, null, null) { Flow = text });

        Assert.Equal((flow, flow), (request!.Flow, night!.Flow));
    }

    [Theory]
    [InlineData("Whole")]
    [InlineData("tiles")]
    [InlineData("")]
    public void Flow_Unknown_IsAnErrorNamingTheFieldAndTheChoices(string text)
    {
        var (request, errors) = Validator.Validate(new ReductionBody("incoming/a.fits", null, null, null) { Flow = text });
        var (night, nightErrors) = Validator.Validate(new NightBody(null, "2026-11-24/", null, null, null, null, null) { Flow = text });

        Assert.Null(request);
        Assert.Null(night);
        Assert.Equal($"must be auto, whole or tiled, got '{text}'", Assert.Single(errors["flow"]));
        Assert.Equal($"must be auto, whole or tiled, got '{text}'", Assert.Single(nightErrors["flow"]));
    }

    [Fact]
    public void Reduction_NoneOperation_OutputIsAResultsJson()
    {
        var (request, _) = Validator.Validate(new ReductionBody("az://incoming/a.fits", null,
            Json("""{ "mapper": { "name": "stats" }, "reducer": { "reduceOperation": "none" } }"""), 64));

        Assert.Equal(new BlobPath("outputs", "a.results.json"), request!.Output);
    }

    [Fact]
    public void Reduction_BadBlobNameUnknownMapperAndZeroTileSize_ReportsEachField()
    {
        var (request, errors) = Validator.Validate(new ReductionBody("Incoming/../a.fits", null, Json("""{ "mapper": { "name": "nosuch" } }"""), 0));

        Assert.Null(request);
        Assert.Contains("input", errors.Keys);
        Assert.Contains("config.mapper.name", errors.Keys);
        Assert.Contains("tileSize", errors.Keys);
    }

    [Fact]
    public void Reduction_InvalidConfigValue_NamesTheConfigField()
    {
        var (_, errors) = Validator.Validate(new ReductionBody("incoming/a.fits", null, Json("""{ "cellSizeX": -3 }"""), null));

        Assert.Equal(["config.cellSizeX"], errors.Keys);
    }

    [Fact]
    public void Reduction_AuxiliaryInputs_BecomeBlobPathsOfTheRequest()
    {
        var (request, errors) = Validator.Validate(new ReductionBody("incoming/sci.fits", null, Json("""{ "mapper": { "name": "subtract" } }"""), null)
        {
            Auxiliary = new Dictionary<string, string> { ["template"] = "az://incoming/templates/t.fits" },
        });

        Assert.Empty(errors);
        Assert.Equal(new BlobPath("incoming", "templates/t.fits"), request!.Auxiliary!["template"]);
    }

    [Fact]
    public void Reduction_AuxiliaryMissingUnknownOrOutsideTheContainers_NamesTheField()
    {
        var (missing, e1) = Validator.Validate(new ReductionBody("incoming/sci.fits", null, Json("""{ "mapper": { "name": "subtract" } }"""), null));
        var (unknown, e2) = Validator.Validate(new ReductionBody("incoming/sci.fits", null, Json("""{ "mapper": { "name": "subtract" } }"""), null)
        {
            Auxiliary = new Dictionary<string, string> { ["template"] = "incoming/t.fits", ["reference"] = "incoming/r.fits" },
        });
        var (outside, e3) = Validator.Validate(new ReductionBody("incoming/sci.fits", null, Json("""{ "mapper": { "name": "subtract" } }"""), null)
        {
            Auxiliary = new Dictionary<string, string> { ["template"] = "secrets/t.fits" },
        });

        Assert.Null(missing);
        Assert.Contains("auxiliary.template", e1.Keys);
        Assert.Null(unknown);
        Assert.Contains("auxiliary.reference", e2.Keys);
        Assert.Null(outside);
        Assert.Contains("auxiliary.template", e3.Keys);
    }

    [Fact]
    public void Reduction_MissingInput_IsRequired()
    {
        var (_, errors) = Validator.Validate(new ReductionBody(null, null, null, null));

        Assert.Contains("input", errors.Keys);
    }

    [Fact]
    public void Night_PrefixOnly_DefaultsContainersAndOutputPrefix()
    {
        var (night, errors) = Validator.Validate(new NightBody(null, "2026-11-24/", null, null, null, null, null));

        Assert.Empty(errors);
        Assert.Equal("incoming", night!.Container);
        Assert.Equal("outputs", night.OutputContainer);
        Assert.Equal("2026-11-24/", night.OutputPrefix);
        Assert.Equal(4, night.MaxConcurrentExposures);
    }

    [Fact]
    public void Night_NoPrefixAndTooMuchConcurrency_ReportsBoth()
    {
        var (night, errors) = Validator.Validate(new NightBody("BadContainer", null, null, null, null, null, 6000));

        Assert.Null(night);
        Assert.Contains("prefix", errors.Keys);
        Assert.Contains("container", errors.Keys);
        Assert.Contains("maxConcurrentExposures", errors.Keys);
    }

    [Fact]
    public void Options_InvalidSettings_ListsEveryProblem()
    {
        var problems = new ImageReducerOptions { OutputContainer = "Out_puts", TileSize = 0, MaxTiles = -1 }.Problems();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("ImageReducer__OutputContainer", StringComparison.Ordinal));
    }
}
