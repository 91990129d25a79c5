using System.Runtime.InteropServices;

namespace ImageReducer.Cli.Files;

/// <summary>
/// A pass whose result is only needed at the end of a command (the input's SHA-256 for the metadata), run on a thread
/// of its own at a lower scheduling priority: it takes any core the command leaves idle (start-up, I/O waits, the
/// write's tail), but yields to the engine's workers, so <c>--threads N</c> gets N cores while it runs.
/// </summary>
/// <remarks>
/// Measured on the 2-core VM (4096², add → average): at the same priority the hash took the second core from the
/// map for the whole map phase, so <c>--threads 2</c> mapped no faster than <c>--threads 1</c> (0.057 s against
/// 0.053 s); the idle core time after the map (the write's I/O waits, the output digest's tail) is enough for what
/// the hash has left by then, so the whole job takes as long as before.
/// <para>Nice 19 alone was not enough: in some fresh runs the hash kept a core of its own through the whole map while
/// the two workers shared the other (perf, 20 kHz, 6 fresh <c>--threads 2</c> runs: in 2 of them the hash had
/// 71–75 ms of the 73–76 ms map phase). A nice-19 thread makes its core busy in the scheduler's eyes, so a waking
/// worker is queued beside the other worker instead of taking that core. The pass's thread is therefore
/// <c>SCHED_IDLE</c> as well: a core that runs only such threads counts as idle, and a waking worker takes it at once.</para>
/// Linux only (<c>sched_setscheduler</c> and <c>setpriority</c> on its thread id); elsewhere the pass runs at normal priority.
/// </remarks>
internal static partial class BackgroundPass
{
    /// <summary>
    /// The pass's nice value, the lowest: it runs where a core would otherwise idle (a nice-0 thread sharing a core with it
    /// gets ~98 % of it). Measured (15 alternating rounds of fresh <c>imred run</c>s): nice 19 — <c>--threads 2</c> map+reduce
    /// 0.042 s against 0.057 s at <c>--threads 1</c>, whole-job wall unchanged (0.376 s against 0.377 s at nice 0); nice 10
    /// left the second core shared (0.051 s).
    /// </summary>
    internal const int Nice = 19;

    /// <summary>Starts <paramref name="work"/> on a new background thread named <paramref name="name"/>, at lower priority.</summary>
    /// <returns>The work's result; cancelled if it throws <see cref="OperationCanceledException"/>, faulted if it throws anything else.</returns>
    /// <remarks>
    /// A thread created by the pass's thread would inherit its nice value (Linux threads do), and completing a task
    /// there can make the thread pool start a worker from it — a pool thread at nice 19 for the rest of the process. So
    /// the pass's thread only sets an event; a wait registered here, from a thread at normal priority, completes the task.
    /// </remarks>
    public static Task<T> Start<T>(Func<T> work, string name)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new ManualResetEvent(false);
        T result = default!;
        Exception? failure = null;
        RegisteredWaitHandle? registration = null;
        // The event is set only by the thread started below, after this assignment: the callback always sees it.
        registration = ThreadPool.RegisterWaitForSingleObject(finished, (_, _) =>
        {
            registration!.Unregister(null);
            finished.Dispose();
            if (failure is null) done.SetResult(result);
            else if (failure is OperationCanceledException cancelled) done.SetCanceled(cancelled.CancellationToken);
            else done.SetException(failure);
        }, null, Timeout.Infinite, executeOnlyOnce: true);
        var thread = new Thread(() =>
        {
            LowerPriority();
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                finished.Set(); // the event's memory barrier publishes result and failure to the completing thread
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>The scheduling policy of Linux's <c>SCHED_IDLE</c>: runs only where no other thread wants the core.</summary>
    internal const int SchedIdle = 5;

    /// <summary>This thread's scheduling policy (<c>sched_getscheduler</c>), or null where it cannot be read (tests).</summary>
    internal static int? CurrentPolicy()
    {
        if (!OperatingSystem.IsLinux()) return null;
        int policy = GetScheduler(GetTid());
        return policy < 0 ? null : policy;
    }

    /// <summary>This thread's nice value, or null where it cannot be read (tests).</summary>
    internal static int? CurrentNice()
    {
        if (!OperatingSystem.IsLinux()) return null;
        Marshal.SetLastPInvokeError(0);
        int nice = GetPriority(PrioProcess, GetTid());
        return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? null : nice;
    }

    private static void LowerPriority()
    {
        if (!OperatingSystem.IsLinux()) return;
        // A priority is a hint: where it cannot be set (a restricted container), the pass runs at normal priority.
        int tid = GetTid();
        _ = SetPriority(PrioProcess, tid, Nice);
        int priority = 0; // struct sched_param { int sched_priority; }: 0 for SCHED_IDLE
        _ = SetScheduler(tid, SchedIdle, ref priority);
    }

    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int SetScheduler(int pid, int policy, ref int param);

    [LibraryImport("libc", EntryPoint = "sched_getscheduler", SetLastError = true)]
    private static partial int GetScheduler(int pid);

    private const int PrioProcess = 0; // with a thread id, Linux applies it to that thread alone

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
