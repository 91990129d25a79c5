using ImageReducer.Engine.Mapping;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Security;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Options;

namespace ImageReducer.Workflow.Tests.Security;

/// <summary>The HTTP bodies go through the access policy: each refused field is reported under its name, and nothing is returned to start.</summary>
public sealed class RequestValidatorSecurityTests
{
    private static readonly ImageReducerOptions Settings = new() { InputContainers = "archive", OutputContainers = "reprocessed" };

    private static readonly RequestValidator Validator = new(Options.Create(Settings), new MapperRegistry(),
        new BlobAccessPolicy(Settings, new Uri("https://mydata.blob.core.windows.net/")));

    [Theory]
    [InlineData("outputs/a.fits", "not an allowed input container")]
    [InlineData("incoming/../outputs/a.fits", "'..' segment")]
    [InlineData("incoming/%2e%2e/outputs/a.fits", "percent-encoded")]
    [InlineData("https://other.blob.core.windows.net/incoming/a.fits", "another storage account")]
    [InlineData("az://otheraccount/incoming/a.fits", "not an allowed input container")]
    public void Reduction_RefusedInput_ReportsTheInputField(string input, string rule)
    {
        var (request, errors) = Validator.Validate(new ReductionBody(input, null, null, null));

        Assert.Null(request);
        Assert.Contains(rule, Assert.Single(errors["input"]));
    }

    [Theory]
    [InlineData("incoming/out.fits", "not an allowed output container")]
    [InlineData("outputs/.starts/exposure-1", "reserved")]
    [InlineData("https://other.blob.core.windows.net/outputs/a.fits", "another storage account")]
    public void Reduction_RefusedOutput_ReportsTheOutputField(string output, string rule)
    {
        var (request, errors) = Validator.Validate(new ReductionBody("incoming/a.fits", output, null, null));

        Assert.Null(request);
        Assert.Contains(rule, Assert.Single(errors["output"]));
    }

    [Fact]
    public void Reduction_UrlOfTheDataAccountAndExtraContainers_AreAccepted()
    {
        var (request, errors) = Validator.Validate(new ReductionBody("https://mydata.blob.core.windows.net/archive/n/a.fits", "reprocessed/n/a.fits", null, null));

        Assert.Empty(errors);
        Assert.Equal(new BlobPath("archive", "n/a.fits"), request!.Input);
        Assert.Equal(new BlobPath("reprocessed", "n/a.fits"), request.Output);
    }

    [Fact]
    public void Night_ContainersOutsideTheAllowLists_ReportBothFields()
    {
        var (night, errors) = Validator.Validate(new NightBody("outputs", "2026-11-24/", "incoming", null, null, null, null));

        Assert.Null(night);
        Assert.Contains("not an allowed input container", Assert.Single(errors["container"]));
        Assert.Contains("not an allowed output container", Assert.Single(errors["outputContainer"]));
    }

    [Theory]
    [InlineData("../2026/", null, "prefix")]
    [InlineData("%2e%2e/", null, "prefix")]
    [InlineData("2026/", ".starts/", "outputPrefix")]
    [InlineData("2026/", "x.fits.work/", "outputPrefix")]
    public void Night_RefusedPrefix_ReportsTheField(string prefix, string? outputPrefix, string field)
    {
        var (night, errors) = Validator.Validate(new NightBody(null, prefix, null, outputPrefix, null, null, null));

        Assert.Null(night);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void Night_AllowedExtraContainers_AreAccepted()
    {
        var (night, errors) = Validator.Validate(new NightBody("archive", "2026-11-24/", "reprocessed", "n/", null, null, null));

        Assert.Empty(errors);
        Assert.Equal(("archive", "reprocessed", "n/"), (night!.Container, night.OutputContainer, night.OutputPrefix));
    }
}
