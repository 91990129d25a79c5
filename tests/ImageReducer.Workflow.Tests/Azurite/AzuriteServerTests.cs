namespace ImageReducer.Workflow.Tests.Azurite;

/// <summary>The fixture's failure path: a broken Azurite fails loudly instead of skipping tests.</summary>
public sealed class AzuriteServerTests
{
    [Fact]
    public async Task StartNew_ExecutableExitsAtOnce_ThrowsNamingExecutableAndExitCode()
    {
        string script = Path.Combine(Path.GetTempPath(), "fake-azurite-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'fake azurite: cannot start' >&2\nexit 3\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        }

        try
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(
                () => AzuriteServer.StartNewAsync(script, persistent: false, CancellationToken.None));
            Assert.Contains(script, e.Message);
            Assert.Contains("exited with code 3", e.Message);
            Assert.Contains("fake azurite: cannot start", e.Message);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task StartNew_ExecutableMissing_ThrowsNamingIt()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-azurite-" + Guid.NewGuid().ToString("N"));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => AzuriteServer.StartNewAsync(missing, persistent: false, CancellationToken.None));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void RepositoryRoot_HoldsSolutionAndInstallScript()
    {
        string root = AzuriteLocator.RepositoryRoot();
        Assert.True(File.Exists(Path.Combine(root, "ImageReducer.sln")));
        Assert.True(File.Exists(Path.Combine(root, "scripts", "install-azurite.sh")));
    }
}
