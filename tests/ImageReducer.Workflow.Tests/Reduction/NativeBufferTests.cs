using ImageReducer.Workflow.Reduction;

namespace ImageReducer.Workflow.Tests.Reduction;

public class NativeBufferTests
{
    [Fact]
    public void Memory_WrittenThroughItsSpan_IsReadBackByTheStreamUpToTheCount()
    {
        using var buffer = new NativeBuffer(1000);
        for (int i = 0; i < 1000; i++) buffer.Memory.Span[i] = (byte)(i * 7);
        using Stream stream = buffer.OpenRead(600);
        var read = new byte[1000];
        int n = stream.ReadAtLeast(read, 1000, throwOnEndOfStream: false);
        Assert.Equal(600, n);
        Assert.Equal(Enumerable.Range(0, 600).Select(i => (byte)(i * 7)), read[..600]);
        Assert.False(stream.CanWrite);
        Assert.True(stream.CanSeek);
    }

    [Fact]
    public void Dispose_FreesTheBufferOnce_AndLaterUseIsRefused()
    {
        var buffer = new NativeBuffer(64);
        ((IDisposable)buffer).Dispose();
        ((IDisposable)buffer).Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Memory.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.OpenRead(1));
    }

    [Fact]
    public void OpenRead_MoreThanTheBuffer_IsRefused()
    {
        using var buffer = new NativeBuffer(8);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.OpenRead(9));
    }
}
