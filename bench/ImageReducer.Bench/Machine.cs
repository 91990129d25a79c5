using System.Globalization;

namespace ImageReducer.Bench;

/// <summary>What the benchmark suites record about this machine and process: load, resident memory, CPU time.</summary>
internal static class Machine
{
    /// <summary>The 1, 5 and 15 minute load averages (<c>/proc/loadavg</c>), or "?" off Linux.</summary>
    public static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>A memory line of <c>/proc/self/status</c> (VmRSS, VmHWM, …) in MiB; NaN where there is none.</summary>
    public static double StatusMib(string key)
    {
        if (!File.Exists("/proc/self/status")) return double.NaN;
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
                return double.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        return double.NaN;
    }

    /// <summary>Resets the process's peak resident set (VmHWM) to its current RSS (Linux <c>clear_refs</c> 5).</summary>
    public static void ResetPeakRss()
    {
        if (File.Exists("/proc/self/clear_refs")) File.WriteAllText("/proc/self/clear_refs", "5");
    }

    /// <summary>User + system CPU time of this process so far, every thread included.</summary>
    public static TimeSpan ProcessCpu()
    {
        using var me = System.Diagnostics.Process.GetCurrentProcess();
        return me.TotalProcessorTime;
    }
}
