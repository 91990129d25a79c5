using ImageReducer.Cli.Files;

namespace ImageReducer.Cli.Tests.Files;

/// <summary>A staged exposure's band writers leave one core to the output's SHA-256, which follows the write.</summary>
public class ExposureWritersTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(16, 15)]
    public void WritersBesideDigest_LeaveOneCoreToTheDigest_ButNeverNone(int threads, int writers) =>
        Assert.Equal(writers, ExposureFiles.WritersBesideDigest(threads));

    [Fact]
    public void WritersBesideDigest_AllCores_IsOneFewerThanTheMachine() =>
        Assert.Equal(Math.Max(1, Environment.ProcessorCount - 1), ExposureFiles.WritersBesideDigest(-1));
}
