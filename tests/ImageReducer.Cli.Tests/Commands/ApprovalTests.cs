using ImageReducer.Cli.Tests.Infrastructure;

namespace ImageReducer.Cli.Tests.Commands;

/// <summary>
/// Pins the root <c>--help</c> text (scripts and the README quote it) and the <c>grid --json</c>
/// document of the demo exposure. On a deliberate change, copy the <c>.received</c> file written
/// next to the test binaries over the <c>Approvals/*.approved</c> one.
/// </summary>
[Collection(DemoCollection.Name)]
public class ApprovalTests(DemoFixture demo)
{
    [Fact]
    public async Task RootHelp_MatchesApprovedText()
    {
        CliRun run = await Imred.RunAsync(Path.GetTempPath(), "--help");
        Assert.Equal(0, run.ExitCode);
        Verify("RootHelp.approved.txt", run.Stdout);
    }

    [Fact]
    public async Task DemoGridJson_MatchesApprovedDocument()
    {
        // The demo input is deterministic (size 96, seed 3), so its grid is too.
        CliRun run = await Imred.RunAsync(demo.Directory.Path, "grid", demo.Input, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Verify("DemoGrid.approved.json", run.Stdout);
    }

    private static void Verify(string approvedName, string output)
    {
        string approvedPath = Path.Combine(AppContext.BaseDirectory, "Approvals", approvedName);
        string approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        string received = output.ReplaceLineEndings("\n");
        if (approved != received)
            File.WriteAllText(approvedPath.Replace(".approved.", ".received."), received);
        Assert.Equal(approved, received);
    }
}
