using ImageReducer.Cli.Files;

namespace ImageReducer.Cli.Tests.Files;

public class BackgroundPassTests
{
    [Fact]
    public async Task Start_RunsTheWorkOnItsOwnBackgroundThreadAtTheLowestPriority()
    {
        int caller = Environment.CurrentManagedThreadId;
        var (thread, background, name, nice, policy) = await BackgroundPass.Start(
            () => (Environment.CurrentManagedThreadId, Thread.CurrentThread.IsBackground, Thread.CurrentThread.Name, BackgroundPass.CurrentNice(),
                BackgroundPass.CurrentPolicy()), "test pass");
        Assert.NotEqual(caller, thread);
        Assert.True(background, "a pass never keeps the process alive");
        Assert.Equal("test pass", name);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(BackgroundPass.Nice, nice);
            Assert.Equal(BackgroundPass.SchedIdle, policy); // a core running only the pass counts as idle to a waking worker
        }
    }

    [Fact]
    public async Task Start_LowersOnlyThePassThread()
    {
        int? before = BackgroundPass.CurrentNice();
        int? policyBefore = BackgroundPass.CurrentPolicy();
        await BackgroundPass.Start(() => 0, "test pass");
        Assert.Equal(before, BackgroundPass.CurrentNice());
        Assert.Equal(policyBefore, BackgroundPass.CurrentPolicy());
        if (OperatingSystem.IsLinux())
        {
            Assert.NotEqual(BackgroundPass.Nice, before);
            Assert.NotEqual(BackgroundPass.SchedIdle, policyBefore);
        }
    }

    [Fact]
    public async Task Start_ManyPasses_LeaveNoThreadPoolThreadAtTheirPriority()
    {
        // Linux threads inherit the nice value and the scheduling policy of the thread that creates them: a pool worker
        // started from a pass's thread (when it completes the task) would run at nice 19, SCHED_IDLE, from then on.
        for (int i = 0; i < 20; i++) await BackgroundPass.Start(() => i, "test pass");
        var nices = new System.Collections.Concurrent.ConcurrentBag<int?>();
        var policies = new System.Collections.Concurrent.ConcurrentBag<int?>();
        await Task.WhenAll(Enumerable.Range(0, 4 * Environment.ProcessorCount + 8).Select(_ => Task.Run(() =>
        {
            nices.Add(BackgroundPass.CurrentNice());
            policies.Add(BackgroundPass.CurrentPolicy());
            Thread.Sleep(20); // hold the thread, so the pool spreads the work over all its threads
        })));
        if (OperatingSystem.IsLinux())
        {
            Assert.DoesNotContain(BackgroundPass.Nice, nices);
            Assert.DoesNotContain(BackgroundPass.SchedIdle, policies);
        }
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
