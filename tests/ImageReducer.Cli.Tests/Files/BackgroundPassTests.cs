using ImageReducer.Cli.Files;

namespace ImageReducer.Cli.Tests.Files;

public class BackgroundPassTests
{
    [Fact]
    public async Task Start_RunsTheWorkOnItsOwnBackgroundThreadAtTheLowestPriority()
    {
        int caller = Environment.CurrentManagedThreadId;
        var (thread, background, name, nice) = await BackgroundPass.Start(
            () => (Environment.CurrentManagedThreadId, Thread.CurrentThread.IsBackground, Thread.CurrentThread.Name, BackgroundPass.CurrentNice()), "test pass");
        Assert.NotEqual(caller, thread);
        Assert.True(background, "a pass never keeps the process alive");
        Assert.Equal("test pass", name);
        if (OperatingSystem.IsLinux()) Assert.Equal(BackgroundPass.Nice, nice);
    }

    [Fact]
    public async Task Start_LowersOnlyThePassThread()
    {
        int? before = BackgroundPass.CurrentNice();
        await BackgroundPass.Start(() => 0, "test pass");
        Assert.Equal(before, BackgroundPass.CurrentNice());
        if (OperatingSystem.IsLinux()) Assert.NotEqual(BackgroundPass.Nice, before);
    }

    [Fact]
    public async Task Start_ManyPasses_LeaveNoThreadPoolThreadAtTheirPriority()
    {
        // Linux threads inherit the nice value of the thread that creates them: a pool worker started from a pass's
        // thread (when it completes the task) would run at nice 19 from then on.
        for (int i = 0; i < 20; i++) await BackgroundPass.Start(() => i, "test pass");
        var nices = new System.Collections.Concurrent.ConcurrentBag<int?>();
        await Task.WhenAll(Enumerable.Range(0, 4 * Environment.ProcessorCount + 8).Select(_ => Task.Run(() =>
        {
            nices.Add(BackgroundPass.CurrentNice());
            Thread.Sleep(20); // hold the thread, so the pool spreads the work over all its threads
        })));
        if (OperatingSystem.IsLinux()) Assert.DoesNotContain(BackgroundPass.Nice, nices);
    }

    [Fact]
    public async Task Start_WorkThrows_TheTaskFaultsWithIt()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => BackgroundPass.Start<int>(() => throw new InvalidDataException("broken input"), "test pass"));
        Assert.Equal("broken input", e.Message);
    }

    [Fact]
    public async Task Start_WorkCancelled_TheTaskIsCancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Task<int> task = BackgroundPass.Start(() => { cts.Token.ThrowIfCancellationRequested(); return 1; }, "test pass");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
    }
}
