using System.Diagnostics;
using System.Globalization;

namespace ImageReducer.Bench;

/// <summary>What one child process cost: wall time from start to exit, CPU (user + system) and peak RSS.</summary>
/// <param name="Wall">Seconds from <see cref="Process.Start()"/> to exit, as a user waiting on the shell sees it.</param>
/// <param name="Cpu">User + system seconds of the child (every thread), from <c>/usr/bin/time</c>; NaN without it.</param>
/// <param name="PeakRssMib">The child's maximum resident set, MiB; NaN without <c>/usr/bin/time</c>.</param>
/// <param name="Stdout">What the child printed on standard output.</param>
/// <param name="Stderr">What the child printed on standard error (e.g. <c>IMRED_TIMELINE</c>'s lines).</param>
internal sealed record ProcessCost(double Wall, double Cpu, double PeakRssMib, string Stdout, string Stderr = "");

/// <summary>Runs a whole process and measures it from outside (wall clock here, CPU and peak memory by <c>/usr/bin/time</c>).</summary>
internal static class TimedProcess
{
    private const string TimeTool = "/usr/bin/time";

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/> and extra environment variables; throws with its stderr when it fails.</summary>
    public static ProcessCost Run(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        bool timed = File.Exists(TimeTool);
        string report = Path.Combine(Path.GetTempPath(), $"imred-bench-time-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        var psi = new ProcessStartInfo(timed ? TimeTool : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (timed)
        {
            // %e wall, %U user, %S system seconds, %M peak RSS KiB: the kernel's rusage of the child after it exits.
            foreach (string a in new[] { "-f", "%e %U %S %M", "-o", report, file }) psi.ArgumentList.Add(a);
        }
        foreach (string a in arguments) psi.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        double wall = clock.Elapsed.TotalSeconds;
        try
        {
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed with exit code {p.ExitCode}: {stderr.Result.Trim()}");
            double cpu = double.NaN, rss = double.NaN;
            if (timed && File.Exists(report))
            {
                string[] f = File.ReadAllLines(report).Last(l => l.Trim().Length > 0).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                cpu = double.Parse(f[1], CultureInfo.InvariantCulture) + double.Parse(f[2], CultureInfo.InvariantCulture);
                rss = double.Parse(f[3], CultureInfo.InvariantCulture) / 1024;
            }
            return new ProcessCost(wall, cpu, rss, stdout, stderr.Result);
        }
        finally
        {
            File.Delete(report);
        }
    }

    /// <summary>The command that runs this bench assembly again (its apphost, or <c>dotnet</c> with the dll).</summary>
    public static (string File, string[] Prefix) Self()
    {
        string self = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? (self, [typeof(TimedProcess).Assembly.Location])
            : (self, []);
    }
}
