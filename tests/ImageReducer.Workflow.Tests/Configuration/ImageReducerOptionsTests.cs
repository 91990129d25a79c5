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
}
