using System.Text;
using System.Text.Json;
using ImageReducer.Cli.Tests.Infrastructure;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Tests.Commands;

/// <summary>FITS findings the reader tolerates reach the user as warnings; those it rejects exit 3 naming the card (docs/errors.md, "Strictness").</summary>
public class FitsStrictnessTests
{
    /// <summary>A plain 40×40 image whose header is then edited: <paramref name="edit"/> gets the primary header text (ASCII, same length back).</summary>
    private static void WritePlain(string path, Func<string, string> edit)
    {
        using (var image = new Image<float>(40, 40))
        {
            for (int y = 0; y < 40; y++)
                for (int x = 0; x < 40; x++)
                    image[x, y] = 100 + x + 0.5f * y;
            using var stream = File.Create(path);
            using var writer = new FitsWriter(stream);
            writer.WriteImage(image);
        }
        byte[] bytes = File.ReadAllBytes(path);
        string header = Encoding.ASCII.GetString(bytes, 0, 2880);
        // The checksum cards would (rightly) fail the edited header: blank them (a blank card is commentary).
        foreach (string sum in (string[])["CHECKSUM", "DATASUM"])
            if (Enumerable.Range(0, 36).FirstOrDefault(i => header.Substring(i * 80, 8).TrimEnd() == sum, -1) is int at and >= 0)
                header = Replace(header, at, "");
        string edited = edit(header);
        Assert.Equal(2880, edited.Length);
        Encoding.ASCII.GetBytes(edited).CopyTo(bytes, 0);
        File.WriteAllBytes(path, bytes);
    }

    private static string Replace(string header, int card, string text) =>
        header[..(card * 80)] + text.PadRight(80) + header[((card + 1) * 80)..];

    private static int CardOf(string header, string keyword) =>
        Enumerable.Range(0, 36).First(i => header.Substring(i * 80, 8).TrimEnd() == keyword);

    [Fact]
    public async Task Run_SimpleFalse_WarnsNamingTheCardAndRecordsItInTheMetadata()
    {
        using var dir = new TempDirectory();
        WritePlain(dir.File("odd.fits"), h => Replace(h, 0, "SIMPLE  =                    F / not quite standard"));
        CliRun run = await Imred.RunAsync(dir.Path, "run", "odd.fits", "-o", "out.fits", "--psf", "gaussian:sigma=1.5", "--layout", "plain", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        string warning = Assert.Single(run.ErrorLines, l => l.StartsWith("imred: warning: ", StringComparison.Ordinal));
        Assert.Contains("odd.fits: HDU 0, card 1 (SIMPLE): SIMPLE = F", warning);
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("out.fits.metadata.json")));
        var recorded = doc.RootElement.GetProperty("input").GetProperty("warnings");
        Assert.Contains("(SIMPLE): SIMPLE = F", Assert.Single(recorded.EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Inspect_SimpleFalse_ListsTheWarning()
    {
        using var dir = new TempDirectory();
        WritePlain(dir.File("odd.fits"), h => Replace(h, 0, "SIMPLE  =                    F"));
        CliRun run = await Imred.RunAsync(dir.Path, "inspect", "odd.fits", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Contains("SIMPLE = F", Assert.Single(doc.RootElement.GetProperty("warnings").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Run_UnterminatedString_ExitsThreeNamingTheCard()
    {
        using var dir = new TempDirectory();
        // The card goes where END was, and END moves one card down (the header has room in its block).
        WritePlain(dir.File("bad.fits"), h => Replace(Replace(h, CardOf(h, "END") + 1, "END"), CardOf(h, "END"), "OBJECT  = 'M31"));
        CliRun run = await Imred.RunAsync(dir.Path, "run", "bad.fits", "-o", "out.fits", "--psf", "gaussian:sigma=1.5", "--layout", "plain", "--quiet");
        Assert.Equal(3, run.ExitCode);
        string error = Assert.Single(run.ErrorLines, l => l.StartsWith("imred: error: ", StringComparison.Ordinal));
        Assert.Contains("(OBJECT): the string has no closing quote", error);
        Assert.Equal(["bad.fits"], dir.FileNames);
    }
}
