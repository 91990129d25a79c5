namespace ImageReducer.Cli.Tests.Remote;

/// <summary>
/// Compares output with an <c>Approvals/*.approved.*</c> file; on a difference writes the output as <c>.received.</c> beside
/// the copy in the test binaries, to be copied over the approved file after a deliberate change.
/// </summary>
public static class Approvals
{
    public static void Verify(string approvedName, string output)
    {
        string approvedPath = Path.Combine(AppContext.BaseDirectory, "Approvals", approvedName);
        string approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "(no approved file)";
        string received = output.ReplaceLineEndings("\n");
        if (approved != received)
            File.WriteAllText(approvedPath.Replace(".approved.", ".received."), received);
        Assert.Equal(approved, received);
    }
}
