using ImageReducer.TestSupport;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>The numpy reference is found relative to the repository, never at a machine-specific path.</summary>
public class SharedBenchTests
{
    [Fact]
    public void Baseline_IsFoundBesideTheRepositoryRoot()
    {
        string root = SharedBench.FindRepositoryRoot() ?? throw new Xunit.Sdk.XunitException("no ImageReducer.sln above the tests");
        string expected = Environment.GetEnvironmentVariable(SharedBench.DirectoryVariable) is { Length: > 0 } env
            ? Path.GetFullPath(env)
            : Path.GetFullPath(Path.Combine(root, "..", "shared", "bench"));

        string found = SharedBench.Directory();

        Assert.Equal(expected, found);
        Assert.True(File.Exists(Path.Combine(found, SharedBench.BaselineFile)));
        Assert.True(File.Exists(Path.Combine(root, SharedBench.SolutionFile)));
    }
}
