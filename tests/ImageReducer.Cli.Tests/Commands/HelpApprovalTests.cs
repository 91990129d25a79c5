using ImageReducer.Cli.Tests.Infrastructure;

namespace ImageReducer.Cli.Tests.Commands;

/// <summary>
/// Pins the root <c>--help</c> text (scripts and the README quote it). On a deliberate change,
/// copy the <c>.received.txt</c> written next to the test binaries over
/// <c>Approvals/RootHelp.approved.txt</c>.
/// </summary>
public class HelpApprovalTests
{
    [Fact]
    public async Task RootHelp_MatchesApprovedText()
    {
        CliRun run = await Imred.RunAsync(Path.GetTempPath(), "--help");
        Assert.Equal(0, run.ExitCode);
        string approvedPath = Path.Combine(AppContext.BaseDirectory, "Approvals", "RootHelp.approved.txt");
        string approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        string received = run.Stdout.ReplaceLineEndings("\n");
        if (approved != received)
            File.WriteAllText(Path.ChangeExtension(approvedPath, null).Replace(".approved", ".received") + ".txt", received);
        Assert.Equal(approved, received);
    }
}
