using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using RunningExposures = ImageReducer.Engine.Tests.Running.TestExposures;

namespace ImageReducer.Engine.Tests.FitsTests;

/// <summary>The FITS pieces a distributed writer uses: headers without pixels, row encoding, composable sums.</summary>
public sealed class WorkflowHooksTests
{
    [Fact]
    public void ReadInfo_LsstFile_GivesWhatReadGivesWithoutThePixels()
    {
        using Exposure source = RunningExposures.Noise(23, 17, seed: 4, x0: 5, y0: 9);
        using var file = new MemoryStream();
        ExposureFits.Write(source, file);
        file.Position = 0;
        using Exposure read = ExposureFits.Read(file);

        using var reader = new FitsReader(file, leaveOpen: true);
        ExposureFileInfo info = ExposureFits.ReadInfo(reader);

        Assert.Equal(ExposureFormat.Lsst, info.Format);
        Assert.Equal(new Box(5, 9, 23, 17), info.Box);
        Assert.Equal(read.Psf!.Kind, info.Psf!.Kind);
        Assert.True(Exposure.SameWcs(read.Wcs, info.Wcs));
        Assert.Equal(read.Metadata.Select(c => (c.Keyword, c.Value)), info.Metadata.Select(c => (c.Keyword, c.Value)));
    }

    [Fact]
    public void BandsOfRows_EncodedAndSummedApart_GiveTheWritersDataUnitAndDatasum()
    {
        using Exposure source = RunningExposures.Noise(13, 29, seed: 8);
        var whole = FitsWriter.DataChecksum(source.Image);
        using var all = new MemoryStream();
        FitsWriter.WriteRows(all, source.Image, 0, source.Height);

        var combined = FitsChecksum.Zero;
        var bytes = new List<byte>();
        foreach (var (first, rows) in new[] { (0, 5), (5, 1), (6, 23) })
        {
            using var band = new MemoryStream();
            FitsWriter.WriteRows(band, source.Image, first, rows);
            uint part = FitsChecksum.Zero.Add(band.ToArray(), first * 13L * 4).Value; // folded, as a tile reports it
            combined += FitsChecksum.FromValue(part);
            bytes.AddRange(band.ToArray());
        }

        Assert.Equal(all.ToArray(), bytes.ToArray());
        Assert.Equal(whole.Value, combined.Value);
    }
}
