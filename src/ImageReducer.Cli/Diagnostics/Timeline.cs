using System.Diagnostics;
using System.Globalization;

namespace ImageReducer.Cli.Diagnostics;

/// <summary>
/// With <c>IMRED_TIMELINE=1</c>, one stderr line per step of a command: wall milliseconds since the
/// process started (from the kernel's start time, so runtime start-up is included), the process's
/// CPU milliseconds so far, how many methods the JIT has compiled so far (those ReadyToRun did not cover) and the
/// milliseconds all threads spent compiling them. Without it, <see cref="Mark"/> costs one static field read.
/// </summary>
/// <remarks>What the wall time of a fresh <c>imred run</c> is spent on outside its timed phases (runtime and
/// assembly loading, JIT, command-line and JSON set-up) is found with this, not guessed.</remarks>
internal static class Timeline
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("IMRED_TIMELINE") == "1";
    private static readonly DateTime Start = Enabled ? Process.GetCurrentProcess().StartTime.ToUniversalTime() : default;

    /// <summary>Prints <paramref name="step"/> with the elapsed wall and CPU time, when enabled.</summary>
    public static void Mark(string step)
    {
        if (!Enabled) return;
        double wall = (DateTime.UtcNow - Start).TotalMilliseconds, cpu = Environment.CpuUsage.TotalTime.TotalMilliseconds;
        long jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        double jitMs = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"imred: timeline {wall,8:F1} ms wall {cpu,8:F1} ms CPU {jitted,5} JIT {jitMs,6:F1} ms JIT  {step}"));
    }
}
