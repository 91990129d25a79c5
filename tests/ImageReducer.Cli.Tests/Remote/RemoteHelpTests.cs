using ImageReducer.Cli.Tests.Infrastructure;

namespace ImageReducer.Cli.Tests.Remote;

/// <summary>Pins the <c>--help</c> of the remote commands (options, defaults, examples), as the root help is pinned.</summary>
public class RemoteHelpTests
{
    [Theory]
    [InlineData("submit", "SubmitHelp.approved.txt")]
    [InlineData("status", "StatusHelp.approved.txt")]
    [InlineData("night", "NightHelp.approved.txt")]
    public async Task Help_MatchesApprovedText(string command, string approved)
    {
        CliRun run = await Imred.RunAsync(Path.GetTempPath(), command, "--help");

        Assert.Equal(0, run.ExitCode);
        Approvals.Verify(approved, run.Stdout);
    }
}
