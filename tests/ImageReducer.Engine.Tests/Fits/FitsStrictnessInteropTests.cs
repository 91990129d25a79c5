using ImageReducer.Engine.Fits;
using static ImageReducer.Engine.Tests.FitsTests.RawFits;

namespace ImageReducer.Engine.Tests.FitsTests;

/// <summary>
/// INTEROP: the reader's verdict on a header finding is fitsverify's (docs/errors.md, "Strictness"):
/// what fitsverify calls an error is rejected, what it calls a warning is read with a warning, a clean
/// file is read without one. Needs cfitsio's fitsverify; a missing tool fails the test.
/// </summary>
public class FitsStrictnessInteropTests
{
    public enum Verdict { Clean, Warning, Rejected }

    public static TheoryData<string, string, string, Verdict> Cases => new()
    {
        { "clean", "T", "OBJECT  = 'M31'", Verdict.Clean },
        { "simple-false", "F", "OBJECT  = 'M31'", Verdict.Warning },
        { "unterminated-string", "T", "OBJECT  = 'M31", Verdict.Rejected },
        { "text-after-string", "T", "OBJECT  = 'M31' xyz", Verdict.Rejected },
        { "bad-number", "T", "EXPTIME = 1.2.3", Verdict.Rejected },
        { "bare-word", "T", "OBSERVER= Hubble", Verdict.Rejected },
        { "complex-value", "T", "CVALUE  = (1.5, -2)", Verdict.Clean },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reader_AgreesWithFitsverify(string name, string simple, string card, Verdict expected)
    {
        byte[] bytes = Concat(Header([Card("SIMPLE", simple), Card("BITPIX", "8"), Card("NAXIS", "0"), card]));
        string file = Path.Combine(Path.GetTempPath(), $"imred-strict-{name}-{Guid.NewGuid():N}.fits");
        File.WriteAllBytes(file, bytes);
        try
        {
            var (errors, warnings, output) = ExternalTools.Fitsverify(file);
            Verdict fitsverify = errors > 0 ? Verdict.Rejected : warnings > 0 ? Verdict.Warning : Verdict.Clean;
            Assert.True(fitsverify == expected, $"fitsverify's verdict on {name} is {fitsverify}, the test expects {expected}:\n{output}");
            Verdict ours;
            try
            {
                using var reader = new FitsReader(new MemoryStream(bytes), null, name);
                ours = reader.Warnings.Count > 0 ? Verdict.Warning : Verdict.Clean;
            }
            catch (FitsFormatException e)
            {
                Assert.Equal(FitsErrorCategory.BadCard, e.Category);
                ours = Verdict.Rejected;
            }
            Assert.Equal(fitsverify, ours);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void LowercaseKeyword_IsAFitsverifyErrorThatTheReaderOnlyWarnsAbout()
    {
        // The one documented deviation: the keyword is unambiguous, so the file is read with a warning.
        byte[] bytes = Concat(Header([Card("SIMPLE", "T"), Card("BITPIX", "8"), Card("NAXIS", "0"), "object  = 'M31'"]));
        string file = Path.Combine(Path.GetTempPath(), $"imred-strict-lower-{Guid.NewGuid():N}.fits");
        File.WriteAllBytes(file, bytes);
        try
        {
            Assert.True(ExternalTools.Fitsverify(file).Errors > 0);
            using var reader = new FitsReader(new MemoryStream(bytes));
            Assert.Single(reader.Warnings);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
